using MetaLearn.MetaLearning;

namespace MetaLearn.Transfer;

/// <summary>Settings of <see cref="RelationTraining.Train"/>, each checked where it is set.</summary>
public sealed record RelationTrainingOptions
{
    /// <summary>Episodes (sampled source tasks) to train on; at least 1 (1000).</summary>
    public int Episodes
    {
        get;
        init => field = OptionChecks.AtLeast(value, 1, nameof(Episodes));
    } = 1000;

    /// <summary>Adam's learning rate; finite and positive (0.001, as Sung et al.).</summary>
    public double LearningRate
    {
        get;
        init => field = OptionChecks.Positive(value, nameof(LearningRate));
    } = 0.001;

    /// <summary>The seed of the episode draw.</summary>
    public ulong Seed { get; init; }

    /// <summary>
    /// Whether each episode's loss is the cross-entropy of the class scores (true, the default) or the pairwise binary
    /// cross-entropy of every query-reference relation against same/different (Sung et al.'s objective, with BCE for MSE).
    /// </summary>
    public bool ClassCrossEntropy { get; init; } = true;

    /// <summary>A wall-clock limit; training stops after the episode that passes it (none by default).</summary>
    public TimeSpan? TimeLimit { get; init; }
}
