namespace MetaLearn.Optim;

/// <summary>A constant value, v(t) = v: the default when no schedule is wanted.</summary>
/// <param name="value">The value, finite and non-negative.</param>
public sealed class ConstantSchedule(double value) : LearningRateSchedule
{
    /// <summary>The value.</summary>
    public double Constant { get; } = Checked(value);

    /// <inheritdoc/>
    protected override double Compute(long stepIndex) => Constant;

    private static double Checked(double value)
    {
        CheckRate(value, nameof(value));
        return value;
    }
}
