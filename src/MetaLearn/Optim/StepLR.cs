namespace MetaLearn.Optim;

/// <summary>Step decay: η(t) = η₀·γ^⌊t/s⌋, the rate multiplied by γ every s steps (PyTorch's <c>StepLR</c>).</summary>
public sealed class StepLR : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initial">η₀, finite and non-negative.</param>
    /// <param name="stepSize">s ≥ 1, the number of steps between decays.</param>
    /// <param name="gamma">γ &gt; 0, finite, the decay factor.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public StepLR(double initial, long stepSize, double gamma = 0.1)
    {
        CheckRate(initial, nameof(initial));
        ArgumentOutOfRangeException.ThrowIfLessThan(stepSize, 1);
        if (!(gamma > 0) || double.IsInfinity(gamma))
        {
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must be finite and positive.");
        }

        Initial = initial;
        StepSize = stepSize;
        Gamma = gamma;
    }

    /// <summary>η₀.</summary>
    public double Initial { get; }

    /// <summary>s.</summary>
    public long StepSize { get; }

    /// <summary>γ.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    protected override double Compute(long stepIndex) => Initial * Math.Pow(Gamma, stepIndex / StepSize);
}
