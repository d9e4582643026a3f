namespace MetaLearn.Tensors.Autodiff;

/// <summary>The outcome of a <see cref="GradientChecker"/> run.</summary>
/// <param name="Passed">Whether every checked derivative matched within tolerance.</param>
/// <param name="MaxAbsoluteError">Largest |analytic − numeric| over all orders and elements.</param>
/// <param name="MaxRelativeError">Largest |analytic − numeric| / max(|numeric|, tiny).</param>
/// <param name="Failure">For a failed check: which order, input and element, and both values; otherwise null.</param>
public sealed record GradientCheckResult(bool Passed, double MaxAbsoluteError, double MaxRelativeError, string? Failure);
