using MetaLearn.MetaLearning;

namespace MetaLearn.Transfer.Features;

/// <summary>Settings of <see cref="FeatureTransferLearner"/>, each checked where it is set.</summary>
public sealed record FeatureTransferOptions : AdaptationRuleOptions
{
    /// <summary>Creates the options; the head learns at 0.01 by default.</summary>
    public FeatureTransferOptions() => LearningRate = 0.01;

    /// <summary>The head (<see cref="FeatureHead.Linear"/>).</summary>
    public FeatureHead Head
    {
        get;
        init => field = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(Head), value, "Head must be a defined FeatureHead.");
    } = FeatureHead.Linear;

    /// <summary>The hidden width of the <see cref="FeatureHead.Mlp"/> head; at least 1 (64).</summary>
    public int HiddenWidth
    {
        get;
        init => field = OptionChecks.AtLeast(value, 1, nameof(HiddenWidth));
    } = 64;

    /// <summary>
    /// Whether a linear classification head starts as the nearest-centroid classifier of the support features
    /// (W = 2cₖ, b = −‖cₖ‖², Triantafillou et al. 2020), so 0 steps already classify and steps refine; else it starts
    /// from a seeded random draw. True by default.
    /// </summary>
    public bool InitializeFromPrototypes { get; init; } = true;

    /// <summary>Whether features are scaled to unit length before the head (for cosine-like geometry). False by default.</summary>
    public bool NormalizeFeatures { get; init; }

    /// <summary>
    /// The backbone parameters (by the backbone's own names, e.g. "3." for the last block of a Sequential) trained with
    /// the head; none by default, so the backbone is frozen and its features are computed once per task.
    /// </summary>
    public ParameterSelection UnfrozenBackbone
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(UnfrozenBackbone));
    } = ParameterSelection.None;

    /// <summary>The learning-rate scale of the unfrozen backbone parameters relative to the head's; finite, non-negative (0.1).</summary>
    public double BackboneLearningRateScale
    {
        get;
        init => field = OptionChecks.NonNegative(value, nameof(BackboneLearningRateScale));
    } = 0.1;

    /// <summary>The seed of the head's random initialization (0): the same task gives the same learner.</summary>
    public ulong Seed { get; init; }

    /// <summary>The support loss; null for cross-entropy on classification examples and mean squared error otherwise.</summary>
    public TaskLoss? Loss { get; init; }
}
