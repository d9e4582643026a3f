namespace MetaLearn.Optim;

/// <summary>
/// Cosine annealing (Loshchilov &amp; Hutter, 2017, "SGDR", without restarts) with an optional linear warmup
/// (Goyal et al., 2017): η(t) = η₀·(t+1)/W for t &lt; W, then
/// η(t) = η_min + ½(η₀ − η_min)(1 + cos(π(t − W)/(T − W))) for W ≤ t &lt; T, and η_min from T on.
/// </summary>
/// <remarks>
/// Without warmup this is PyTorch's closed form of <c>CosineAnnealingLR</c> with T_max = T, except that the rate stays at
/// η_min after T instead of rising again along the cosine.
/// </remarks>
public sealed class CosineAnnealing : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initial">η₀, the peak rate, finite and non-negative.</param>
    /// <param name="totalSteps">T ≥ 1, the step at which the rate reaches <paramref name="minimum"/> (warmup included).</param>
    /// <param name="minimum">η_min in [0, η₀].</param>
    /// <param name="warmupSteps">W in [0, T): the number of warmup steps, whose rates rise linearly to η₀.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public CosineAnnealing(double initial, long totalSteps, double minimum = 0, long warmupSteps = 0)
    {
        CheckRate(initial, nameof(initial));
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 1);
        CheckRate(minimum, nameof(minimum));
        if (minimum > initial)
        {
            throw new ArgumentOutOfRangeException(nameof(minimum), minimum, "minimum must not exceed initial.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(warmupSteps, totalSteps);
        Initial = initial;
        TotalSteps = totalSteps;
        Minimum = minimum;
        WarmupSteps = warmupSteps;
    }

    /// <summary>η₀.</summary>
    public double Initial { get; }

    /// <summary>T.</summary>
    public long TotalSteps { get; }

    /// <summary>η_min.</summary>
    public double Minimum { get; }

    /// <summary>W.</summary>
    public long WarmupSteps { get; }

    /// <inheritdoc/>
    protected override double Compute(long stepIndex)
    {
        if (stepIndex < WarmupSteps)
        {
            return Initial * (stepIndex + 1) / WarmupSteps;
        }

        if (stepIndex >= TotalSteps)
        {
            return Minimum;
        }

        double progress = (double)(stepIndex - WarmupSteps) / (TotalSteps - WarmupSteps);
        return Minimum + (0.5 * (Initial - Minimum) * (1 + Math.Cos(Math.PI * progress)));
    }
}
