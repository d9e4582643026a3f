namespace MetaLearn.Tensors;

/// <summary>The state of a <see cref="Generator"/>: the four xoshiro256** words and the cached second normal sample, if any.</summary>
/// <param name="S0">State word 0.</param>
/// <param name="S1">State word 1.</param>
/// <param name="S2">State word 2.</param>
/// <param name="S3">State word 3.</param>
/// <param name="SpareNormal">The cached normal sample of the polar method, or null.</param>
public sealed record GeneratorState(ulong S0, ulong S1, ulong S2, ulong S3, double? SpareNormal);
