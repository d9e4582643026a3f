using MetaLearn.MetaLearning;

namespace MetaLearn.Metric;

/// <summary>Settings of <see cref="PrototypicalNetworks"/>.</summary>
public sealed record PrototypicalOptions
{
    /// <summary>
    /// The outer loop: Adam at 0.001 by default (the paper's), a schedule (the paper halves the rate every 2000 episodes:
    /// <c>Schedule = new StepLR(0.001, 2000, 0.5)</c>), optional clipping, and the non-finite-task policy.
    /// </summary>
    public OuterLoopOptions Outer
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Outer));
    } = new();
}
