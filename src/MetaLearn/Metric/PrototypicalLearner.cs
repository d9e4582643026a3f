using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.Tensors;

namespace MetaLearn.Metric;

/// <summary>A prototypical network conditioned on one support set: it stores the prototypes and scores queries against them.</summary>
internal sealed class PrototypicalLearner(PrototypicalNetworks network) : ILearner
{
    private Tensor? _prototypes;

    /// <summary>Always 0: prototypes are not adapted by steps.</summary>
    public int StepsTaken => 0;

    public void Condition(Examples support)
    {
        var examples = support as ClassificationExamples
            ?? throw new ArgumentException($"PrototypicalNetworks: needs classification examples, got {support?.GetType().Name ?? "null"}.", nameof(support));
        network.EnterPredictionMode();
        using var noGrad = Tensor.NoGrad();
        _prototypes = network.Prototypes(examples);
    }

    public void Adapt(int steps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        _ = _prototypes ?? throw new InvalidOperationException("Adapt: call Condition with the task's support set first.");
    }

    public Tensor Predict(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var prototypes = _prototypes ?? throw new InvalidOperationException("Predict: call Condition with the task's support set first.");
        network.EnterPredictionMode();
        using var noGrad = Tensor.NoGrad();
        return PrototypicalNetworks.Scores(network.Embed(inputs), prototypes);
    }
}
