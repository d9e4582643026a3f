using MetaLearn.MetaLearning;

namespace MetaLearn.Metric;

/// <summary>Settings of <see cref="MatchingNetworks"/>, each checked where it is set.</summary>
public sealed record MatchingOptions
{
    /// <summary>
    /// τ, the attention's temperature: a(q, s) = softmax over the support of cos(f(q), g(s))/τ. 1 is the paper's
    /// (Vinyals et al. 2016); cosines lie in [−1, 1], so with many support examples a smaller τ (0.1, a scale of 10, as
    /// later implementations use) lets the attention concentrate. Finite and positive.
    /// </summary>
    public double Temperature
    {
        get;
        init => field = value > 0 && double.IsFinite(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(Temperature), value, "MatchingOptions.Temperature must be finite and positive.");
    } = 1.0;

    /// <summary>The outer loop: Adam at 0.001 by default, an optional schedule and clipping, and the non-finite-task policy.</summary>
    public OuterLoopOptions Outer
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Outer));
    } = new();
}
