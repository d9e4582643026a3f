namespace MetaLearn.Tensors.Kernels.Providers;

/// <summary>The implementations of the matrix product, slowest first; <see cref="GemmProvider"/> picks the fastest the machine runs.</summary>
internal enum GemmKind
{
    /// <summary>The scalar reference: one fused multiply-add at a time, the definition the vector kernels must match.</summary>
    Scalar,

    /// <summary>Register tiles of 128-bit vectors: SSE on x64 (no FMA there), NEON on ARM64.</summary>
    Vector128,

    /// <summary>Register tiles of 256-bit vectors: AVX2 and FMA on x64.</summary>
    Vector256,

    /// <summary>Register tiles of 512-bit vectors with masked tails: AVX-512.</summary>
    Avx512,
}
