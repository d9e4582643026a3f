using MetaLearn.MetaLearning;

namespace MetaLearn.Metric;

/// <summary>Settings of <see cref="SiameseNetwork"/>, each checked where it is set.</summary>
public sealed record SiameseOptions
{
    /// <summary>The training objective: Koch et al.'s binary cross-entropy on the weighted L1 head (default), or contrastive loss.</summary>
    public SiameseLoss Loss
    {
        get;
        init => field = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(Loss), value, "SiameseOptions.Loss: unknown loss.");
    }

    /// <summary>The contrastive loss's margin m; finite and positive (1.0). Unused with binary cross-entropy.</summary>
    public double Margin
    {
        get;
        init => field = value > 0 && double.IsFinite(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(Margin), value, "SiameseOptions.Margin must be finite and positive.");
    } = 1.0;

    /// <summary>The outer loop: Adam at 0.001 by default, an optional schedule and clipping, and the non-finite-task policy.</summary>
    public OuterLoopOptions Outer
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Outer));
    } = new();
}
