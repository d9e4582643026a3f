namespace MetaLearn.Optim;

/// <summary>
/// A scalar hyperparameter as a function of the step number t = 0, 1, 2, … (the number of steps already taken):
/// a learning rate, or Reptile's outer step size ε, which Nichol et al. (2018) anneal linearly to zero.
/// </summary>
public abstract class ScalarSchedule
{
    /// <summary>The value to use for the step that follows <paramref name="step"/> completed steps.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is negative.</exception>
    public double Value(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        return Compute(step);
    }

    /// <summary>The value after <paramref name="stepIndex"/> completed steps (already checked to be non-negative).</summary>
    protected abstract double Compute(long stepIndex);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming <paramref name="name"/> unless <paramref name="value"/> is finite and
    /// non-negative.</summary>
    protected static void CheckRate(double value, string name)
    {
        if (!(value >= 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and non-negative.");
        }
    }
}
