using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.Tensors;

namespace MetaLearn.Metric;

/// <summary>A matching network conditioned on one support set: it stores the support embeddings and labels and attends over them.</summary>
internal sealed class MatchingLearner(MatchingNetworks network) : ILearner
{
    private Tensor? _support;
    private ClassificationExamples? _examples;

    /// <summary>Always 0: nothing is adapted by steps.</summary>
    public int StepsTaken => 0;

    public void Condition(Examples support)
    {
        var examples = support as ClassificationExamples
            ?? throw new ArgumentException($"MatchingNetworks: conditions on classification examples, got {support?.GetType().Name ?? "null"}.", nameof(support));
        network.EnterPredictionMode();
        using var noGrad = Tensor.NoGrad();
        _support = network.Embed(examples.Inputs);
        _examples = examples;
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
        return network.Scores(network.Embed(inputs), support, _examples!.Labels, _examples.ClassCount);
    }
}
