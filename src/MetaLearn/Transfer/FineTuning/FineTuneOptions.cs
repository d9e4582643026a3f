using MetaLearn.MetaLearning;

namespace MetaLearn.Transfer.FineTuning;

/// <summary>Settings of <see cref="FineTuneLearner"/> (parameter transfer), each checked where it is set.</summary>
public sealed record FineTuneOptions : AdaptationRuleOptions
{
    /// <summary>The parameters that are fine-tuned; the others stay at the transferred values (all by default).</summary>
    public ParameterSelection Trained
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Trained));
    } = ParameterSelection.All;

    /// <summary>Learning-rate scales per selection (a slow backbone, a fast new head); uniform by default. Scale 0 freezes.</summary>
    public LayerwiseLearningRates LayerRates
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(LayerRates));
    } = LayerwiseLearningRates.Uniform;

    /// <summary>α of L2-SP (Li et al. 2018), the pull toward the transferred weights; finite and non-negative (0: off).</summary>
    public double L2SPAlpha
    {
        get;
        init => field = OptionChecks.NonNegative(value, nameof(L2SPAlpha));
    }

    /// <summary>β of L2-SP, the weight decay of parameters that have no source (a new head); finite and non-negative (0).</summary>
    public double L2SPBeta
    {
        get;
        init => field = OptionChecks.NonNegative(value, nameof(L2SPBeta));
    }

    /// <summary>The support loss; null for cross-entropy on classification examples and mean squared error otherwise.</summary>
    public TaskLoss? Loss { get; init; }
}
