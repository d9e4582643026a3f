using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.Metric;
using MetaLearn.Optim;
using MetaLearn.Tensors;

namespace MetaLearn.Transfer;

/// <summary>
/// Relation transfer as a learner: a relation learned on source tasks classifies a target task's queries by relating each
/// to the task's few labelled examples (the class score is the mean relation with the class's shots). With 0 steps the
/// transferred relation is used as it is; each step fine-tunes it on the support set's own pairs (same class or not),
/// optionally held near the transferred weights by L2-SP. The relation's module is never changed.
/// </summary>
public sealed class RelationTransferLearner : ILearner
{
    private readonly InnerLoop _loop;
    private readonly Tensor[] _initial;
    private ClassificationExamples? _support;
    private Tensor[] _weights;
    private DifferentiableState? _state;

    /// <summary>Creates the learner around a trained relation.</summary>
    /// <param name="relation">The transferred relation.</param>
    /// <param name="options">How it is fine-tuned on target pairs.</param>
    /// <exception cref="ArgumentException">The trained selection selects none of the relation's parameters.</exception>
    public RelationTransferLearner(IRelationFunction relation, RelationTransferOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(relation);
        Relation = relation;
        Options = options ?? new RelationTransferOptions();
        var module = new RelationMatrixModule(relation);
        var named = relation.Network.NamedParameters();
        var adapted = Options.Trained.Mask([.. named.Select(p => p.Name)]);
        if (!adapted.Any(a => a))
        {
            throw new ArgumentException($"RelationTransferLearner: {Options.Trained} selects none of the relation's {named.Count} parameters.",
                nameof(options));
        }

        _initial = [.. relation.Network.Parameters()];
        _weights = _initial;
        var penalty = Options.L2SPAlpha > 0 ? Penalties.L2SP(_initial, Options.L2SPAlpha) : null;
        _loop = new InnerLoop(module, (relations, support) => RelationScores.SupportPairLoss(relations, support), Options.CreateRule(), adapted, penalty);
    }

    /// <summary>The transferred relation.</summary>
    public IRelationFunction Relation { get; }

    /// <summary>The settings.</summary>
    public RelationTransferOptions Options { get; }

    /// <inheritdoc/>
    public int StepsTaken { get; private set; }

    /// <inheritdoc/>
    public void Condition(Examples support)
    {
        _support = support as ClassificationExamples
            ?? throw new ArgumentException($"RelationTransferLearner: needs classification examples, got {support?.GetType().Name ?? "null"}.",
                nameof(support));
        _weights = _initial;
        _state = null;
        StepsTaken = 0;
    }

    /// <inheritdoc/>
    public void Adapt(int steps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        var support = _support ?? throw new InvalidOperationException("Adapt: call Condition with the task's support set first.");
        if (steps > 0)
        {
            (_weights, _state) = _loop.Run(_weights, support, steps, InnerLoopMode.Detached, _state);
            StepsTaken += steps;
        }
    }

    /// <inheritdoc/>
    public Tensor Predict(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var support = _support ?? throw new InvalidOperationException("Predict: call Condition with the task's support set first.");
        using var noGrad = Tensor.NoGrad();
        return RelationScores.ForClasses(Relation.Relate(inputs, support.Inputs, _weights), support.Labels, support.ClassCount);
    }
}
