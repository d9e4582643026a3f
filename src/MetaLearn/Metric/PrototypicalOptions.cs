using MetaLearn.MetaLearning;
using MetaLearn.Optim;

namespace MetaLearn.Metric;

/// <summary>Settings of <see cref="PrototypicalNetworks"/>.</summary>
public sealed record PrototypicalOptions
{
    /// <summary>The outer loop: Adam at 0.001 by default (the paper's), optional clipping, and the non-finite-task policy.</summary>
    public OuterLoopOptions Outer
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Outer));
    } = new();

    /// <summary>
    /// The outer learning rate as a function of the step count, applied before every update; null keeps
    /// <see cref="OuterLoopOptions.LearningRate"/>. The paper halves the rate every 2000 episodes: <c>new StepLR(0.001, 2000, 0.5)</c>.
    /// </summary>
    public LearningRateSchedule? Schedule { get; init; }
}
