using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.Tensors;

namespace MetaLearn.Metric;

/// <summary>
/// A Siamese network conditioned on one support set: it stores the support embeddings, scores each query against every
/// one of them, and gives each class the log of its examples' mean "same" probability.
/// </summary>
internal sealed class SiameseLearner(SiameseNetwork network) : ILearner
{
    private Tensor? _support;
    private Tensor? _averaging;

    /// <summary>Always 0: the stored embeddings are not adapted by steps.</summary>
    public int StepsTaken => 0;

    public void Condition(Examples support)
    {
        var examples = support as ClassificationExamples
            ?? throw new ArgumentException($"SiameseNetwork: conditions on classification examples, got {support?.GetType().Name ?? "null"}.", nameof(support));
        network.EnterPredictionMode();
        using var noGrad = Tensor.NoGrad();
        var embeddings = network.Embed(examples.Inputs);
        _averaging = ClassMeans.Matrix(examples.Labels, examples.ClassCount, embeddings.DType);
        _support = embeddings;
    }

    public void Adapt(int steps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        _ = _support ?? throw new InvalidOperationException("Adapt: call Condition with the task's support set first.");
    }

    public Tensor Predict(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var support = _support ?? throw new InvalidOperationException("Predict: call Condition with the task's support set first.");
        network.EnterPredictionMode();
        using var noGrad = Tensor.NoGrad();
        return SiameseNetwork.ClassScores(network.PairLogits(network.Embed(inputs), support), _averaging!);
    }
}
