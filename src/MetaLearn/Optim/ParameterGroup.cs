using MetaLearn.Tensors;

namespace MetaLearn.Optim;

/// <summary>
/// Parameters an optimizer updates with their own learning-rate scale (multiplying the optimizer's rate, so schedules
/// still apply) and optionally their own weight decay: layer-wise learning rates, as fine-tuning a transferred model wants.
/// </summary>
public sealed record ParameterGroup
{
    /// <summary>Creates the group.</summary>
    /// <param name="parameters">The parameters.</param>
    /// <param name="learningRateScale">Multiplies the optimizer's learning rate for these parameters; finite and non-negative.</param>
    /// <param name="weightDecay">These parameters' weight decay, or null for the optimizer's.</param>
    /// <exception cref="ArgumentOutOfRangeException">A coefficient is negative or not finite.</exception>
    public ParameterGroup(IReadOnlyList<Tensor> parameters, double learningRateScale = 1, double? weightDecay = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        OptimizerChecks.NonNegative(learningRateScale, nameof(learningRateScale));
        if (weightDecay is { } decay)
        {
            OptimizerChecks.NonNegative(decay, nameof(weightDecay));
        }

        Parameters = [.. parameters];
        LearningRateScale = learningRateScale;
        WeightDecay = weightDecay;
    }

    /// <summary>The parameters.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>The learning-rate multiplier.</summary>
    public double LearningRateScale { get; }

    /// <summary>The weight decay, or null for the optimizer's.</summary>
    public double? WeightDecay { get; }
}
