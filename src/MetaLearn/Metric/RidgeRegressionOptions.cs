using MetaLearn.MetaLearning;

namespace MetaLearn.Metric;

/// <summary>Settings of <see cref="RidgeRegressionDiscriminator"/>, each checked where it is set.</summary>
public sealed record RidgeRegressionOptions
{
    /// <summary>
    /// λ's starting value, the ridge penalty of each episode's regression. It is meta-learned as log λ, so it stays
    /// positive (Bertinetto et al. learn it too). 1 by default; finite and positive.
    /// </summary>
    public double InitialLambda
    {
        get;
        init => field = value > 0 && double.IsFinite(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(InitialLambda), value, "RidgeRegressionOptions.InitialLambda must be finite and positive.");
    } = 1.0;

    /// <summary>
    /// α's starting value, the scale of the logits α·(Q·W) + β. The regression fits one-hot targets, so Q·W starts near
    /// [0, 1] and α sets how confident the softmax can be; meta-learned as log α. 10 by default; finite and positive.
    /// </summary>
    public double InitialScale
    {
        get;
        init => field = value > 0 && double.IsFinite(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(InitialScale), value, "RidgeRegressionOptions.InitialScale must be finite and positive.");
    } = 10.0;

    /// <summary>The outer loop: Adam at 0.001 by default, an optional schedule and clipping, and the non-finite-task policy.</summary>
    public OuterLoopOptions Outer
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Outer));
    } = new();
}
