using MetaLearn.Data;
using MetaLearn.Optim;
using MetaLearn.Tensors;

namespace MetaLearn.MetaLearning;

/// <summary>
/// A learner that adapts by gradient steps with an <see cref="InnerLoop"/> from given initial weights, keeping no graph:
/// what MAML and Reptile hand out. Successive <see cref="Adapt"/> calls continue the optimizer state (and so any per-step
/// schedule, learned per-step rates included). With MAML++'s per-step batch norm, step k runs with step k's batch-norm
/// copies and predictions after k steps use those of step k (the last trained step's beyond it, step 0's before any).
/// </summary>
internal sealed class GradientLearner(InnerLoop loop, IReadOnlyList<Tensor> initial, StepBatchNorm? stepNorm = null) : IAdaptedModelLearner
{
    private Examples? _support;
    private Tensor[] _weights = [.. initial];
    private DifferentiableState? _state;

    public int StepsTaken { get; private set; }

    /// <summary>The current weights (the initial ones until adapted), for callers that measure drift or export them.</summary>
    public IReadOnlyList<Tensor> Weights => _weights;

    public void Condition(Examples support)
    {
        ArgumentNullException.ThrowIfNull(support);
        _support = support;
        _weights = [.. initial];
        _state = null;
        StepsTaken = 0;
    }

    public void Adapt(int steps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        var support = _support ?? throw new InvalidOperationException("Adapt: call Condition with the task's support set first.");
        if (steps == 0)
        {
            return;
        }

        if (stepNorm is null)
        {
            (_weights, _state) = loop.Run(_weights, support, steps, InnerLoopMode.Detached, _state);
            StepsTaken += steps;
            return;
        }

        for (int step = 0; step < steps; step++)
        {
            stepNorm.Apply(_weights, StepsTaken);
            (_weights, _state) = loop.Run(_weights, support, 1, InnerLoopMode.Detached, _state);
            StepsTaken++;
        }
    }

    public Tensor Predict(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (_support is null)
        {
            throw new InvalidOperationException("Predict: call Condition with the task's support set first.");
        }

        using var scope = Tensor.NoGrad();
        return loop.Model.Forward(inputs, PredictionWeights());
    }

    /// <inheritdoc/>
    public AdaptedModel AdaptedModel()
    {
        _ = _support ?? throw new InvalidOperationException("AdaptedModel: call Condition with the task's support set first.");
        return new AdaptedModel(loop.Model, PredictionWeights());
    }

    /// <summary>The weights predictions use: the adapted ones, with MAML++'s batch-norm copies of the last step taken.</summary>
    private Tensor[] PredictionWeights()
    {
        if (stepNorm is null)
        {
            return _weights;
        }

        Tensor[] weights = [.. _weights];
        stepNorm.Apply(weights, StepsTaken - 1);
        return weights;
    }
}
