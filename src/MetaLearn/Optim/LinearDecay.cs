namespace MetaLearn.Optim;

/// <summary>
/// Linear interpolation from an initial to a final value over T steps, constant afterwards:
/// v(t) = v₀ + (v_T − v₀)·min(t, T)/T. Reptile (Nichol et al., 2018) anneals its outer step size ε this way to 0.
/// </summary>
public sealed class LinearDecay : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initial">v₀, finite and non-negative.</param>
    /// <param name="final">v_T, finite and non-negative (it may exceed <paramref name="initial"/> for a linear ramp up).</param>
    /// <param name="totalSteps">T ≥ 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public LinearDecay(double initial, double final, long totalSteps)
    {
        CheckRate(initial, nameof(initial));
        CheckRate(final, nameof(final));
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 1);
        Initial = initial;
        Final = final;
        TotalSteps = totalSteps;
    }

    /// <summary>v₀.</summary>
    public double Initial { get; }

    /// <summary>v_T.</summary>
    public double Final { get; }

    /// <summary>T.</summary>
    public long TotalSteps { get; }

    /// <inheritdoc/>
    protected override double Compute(long stepIndex) =>
        Initial + ((Final - Initial) * Math.Min(1.0, (double)stepIndex / TotalSteps));
}
