using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.Tensors;

namespace MetaLearn.Metric;

/// <summary>
/// A metric learner conditioned on one support set by keeping its embeddings and labels, and scoring each query against
/// all of them (Siamese and matching networks): the conditioning, checks and prediction mode they share.
/// </summary>
/// <param name="network">The meta-learner whose model embeds.</param>
internal abstract class StoredSupportLearner(EmbeddingMetaLearner network) : ILearner
{
    private Tensor? _support;
    private ClassificationExamples? _examples;

    /// <summary>Always 0: the stored embeddings are not adapted by steps.</summary>
    public int StepsTaken => 0;

    public void Condition(Examples support)
    {
        var examples = support as ClassificationExamples
            ?? throw new ArgumentException(
                $"{network.GetType().Name}: conditions on classification examples, got {support?.GetType().Name ?? "null"}.", nameof(support));
        network.EnterPredictionMode();
        using var noGrad = Tensor.NoGrad();
        _support = Embed(examples.Inputs);
        _examples = examples;
        OnConditioned(examples, _support);
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
        return Scores(Embed(inputs), support, _examples!);
    }

    /// <summary>Derives what scoring needs from a new support set once, rather than at every prediction (nothing by default).</summary>
    protected virtual void OnConditioned(ClassificationExamples examples, Tensor support)
    {
    }

    /// <summary>The embeddings [N, D] of <paramref name="inputs"/>.</summary>
    protected abstract Tensor Embed(Tensor inputs);

    /// <summary>The class scores [Q, C] of query embeddings [Q, D] against the stored support embeddings [S, D] with their labels.</summary>
    protected abstract Tensor Scores(Tensor queries, Tensor support, ClassificationExamples examples);
}
