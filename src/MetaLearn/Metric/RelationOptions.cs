using MetaLearn.MetaLearning;

namespace MetaLearn.Metric;

/// <summary>Settings of <see cref="RelationNetwork"/>.</summary>
public sealed record RelationOptions
{
    /// <summary>The outer loop: Adam at 0.001 by default (Sung et al.'s), an optional schedule and clipping, and the non-finite-task policy.</summary>
    public OuterLoopOptions Outer
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Outer));
    } = new();

    /// <summary>
    /// Whether each episode's loss is the cross-entropy of the class scores (true, the default) or the pairwise binary
    /// cross-entropy of every query-reference relation against same/different (Sung et al.'s objective, with BCE for MSE).
    /// </summary>
    public bool ClassCrossEntropy { get; init; } = true;
}
