using MetaLearn.MetaLearning;

namespace MetaLearn.Transfer;

/// <summary>Settings of <see cref="SourceTraining.Train"/>, each checked where it is set.</summary>
public sealed record SourceTrainingOptions
{
    /// <summary>Passes over the source examples; at least 1 (5).</summary>
    public int Epochs
    {
        get;
        init => field = OptionChecks.AtLeast(value, 1, nameof(Epochs));
    } = 5;

    /// <summary>Examples per Adam step; at least 2 (64).</summary>
    public int BatchSize
    {
        get;
        init => field = OptionChecks.AtLeast(value, 2, nameof(BatchSize));
    } = 64;

    /// <summary>Adam's learning rate; finite and positive (0.001).</summary>
    public double LearningRate
    {
        get;
        init => field = OptionChecks.Positive(value, nameof(LearningRate));
    } = 0.001;

    /// <summary>The seed of the example order.</summary>
    public ulong Seed { get; init; }

    /// <summary>A wall-clock limit; training stops after the batch that passes it (none by default).</summary>
    public TimeSpan? TimeLimit { get; init; }
}
