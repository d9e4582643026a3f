namespace MetaLearn.Tensors.Autodiff;

/// <summary>Step size and tolerances of <see cref="GradientChecker"/>.</summary>
public sealed record GradientCheckOptions
{
    /// <summary>Central-difference step (float64 inputs): 1e-6 by default.</summary>
    public double Epsilon { get; init; } = 1e-6;

    /// <summary>Absolute tolerance: 1e-5 by default.</summary>
    public double AbsoluteTolerance { get; init; } = 1e-5;

    /// <summary>Relative tolerance, applied to the numerical value: 1e-4 by default.</summary>
    public double RelativeTolerance { get; init; } = 1e-4;

    /// <summary>Seed of the random projection vectors.</summary>
    public ulong Seed { get; init; } = 12345;
}
