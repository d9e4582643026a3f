using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.Tensors;

namespace MetaLearn.Metric;

/// <summary>
/// A relation conditioned on one support set: a query's score for a class is its mean relation with the class's
/// examples (<see cref="RelationScores.ForClasses"/>). Nothing is adapted by steps; fine-tuning a relation on a task's
/// pairs is <c>RelationTransferLearner</c>'s job.
/// </summary>
internal sealed class RelationLearner(IRelationFunction relation) : ILearner
{
    private ClassificationExamples? _support;

    /// <summary>Always 0: the relation is not adapted by steps.</summary>
    public int StepsTaken => 0;

    public void Condition(Examples support) =>
        _support = support as ClassificationExamples
            ?? throw new ArgumentException($"RelationNetwork: needs classification examples, got {support?.GetType().Name ?? "null"}.", nameof(support));

    public void Adapt(int steps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        _ = _support ?? throw new InvalidOperationException("Adapt: call Condition with the task's support set first.");
    }

    public Tensor Predict(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var support = _support ?? throw new InvalidOperationException("Predict: call Condition with the task's support set first.");
        using var noGrad = Tensor.NoGrad();
        return RelationScores.ForClasses(relation.Relate(inputs, support.Inputs, relation.Network.Parameters()), support.Labels, support.ClassCount);
    }
}
