using MetaLearn.MetaLearning;

namespace MetaLearn.Transfer.Selection;

/// <summary>Settings of <see cref="SiameseTaskMetric.Train"/>, each checked where it is set.</summary>
public sealed record TaskMetricTrainingOptions
{
    /// <summary>Passes over the pairs; at least 1 (200).</summary>
    public int Epochs
    {
        get;
        init => field = OptionChecks.AtLeast(value, 1, nameof(Epochs));
    } = 200;

    /// <summary>Pairs per Adam step; at least 1 (32).</summary>
    public int BatchSize
    {
        get;
        init => field = OptionChecks.AtLeast(value, 1, nameof(BatchSize));
    } = 32;

    /// <summary>Adam's learning rate; finite and positive (0.003).</summary>
    public double LearningRate
    {
        get;
        init => field = OptionChecks.Positive(value, nameof(LearningRate));
    } = 0.003;

    /// <summary>The contrastive margin: dissimilar tasks are pushed at least this far apart; finite and positive (1).</summary>
    public double Margin
    {
        get;
        init => field = OptionChecks.Positive(value, nameof(Margin));
    } = 1;

    /// <summary>The seed of the pair order.</summary>
    public ulong Seed { get; init; }
}
