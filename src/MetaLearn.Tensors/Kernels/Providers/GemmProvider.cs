using System.Runtime.Intrinsics;
using MetaLearn.Tensors.Kernels.Simd;

namespace MetaLearn.Tensors.Kernels.Providers;

/// <summary>
/// Chooses the matrix product's implementation: once, at start-up, the fastest the hardware (as the JIT reports it) runs;
/// tests and benchmarks can run another, supported one for a scope.
/// </summary>
/// <remarks>
/// Math.NET Numerics' provider pattern (<c>LinearAlgebraControl</c>): one interface, <see cref="IGemmKernel"/>, a portable
/// reference and faster paths. The JIT's own switches reach every path on any x64 machine: <c>DOTNET_EnableAVX512=0</c>
/// leaves <see cref="GemmKind.Vector256"/>, and <c>DOTNET_EnableAVX2=0</c> <see cref="GemmKind.Vector128"/> without FMA.
/// </remarks>
internal static class GemmProvider
{
    private static readonly AsyncLocal<IGemmKernel?> s_override = new();

    private static readonly IGemmKernel[] s_kernels =
    [
        new ScalarGemmKernel(),
        new VectorGemmKernel<Lanes128<float>, Vector128<float>, Lanes128<double>, Vector128<double>>(GemmKind.Vector128),
        new VectorGemmKernel<Lanes256<float>, Vector256<float>, Lanes256<double>, Vector256<double>>(GemmKind.Vector256),
        new VectorGemmKernel<Lanes512<float>, Vector512<float>, Lanes512<double>, Vector512<double>>(GemmKind.Avx512),
    ];

    /// <summary>The kinds this machine runs, fastest first; the first is <see cref="Default"/>.</summary>
    public static IReadOnlyList<GemmKind> Supported { get; } = [.. Enum.GetValues<GemmKind>().Where(IsSupported).Reverse()];

    /// <summary>The implementation chosen at start-up: the fastest supported one.</summary>
    public static IGemmKernel Default { get; } = Get(Supported[0]);

    /// <summary>The implementation products use now: the one set by <see cref="Use"/> in this flow of execution, else <see cref="Default"/>.</summary>
    public static IGemmKernel Current => s_override.Value ?? Default;

    /// <summary>Whether the hardware runs <paramref name="kind"/> natively (the scalar reference runs everywhere).</summary>
    public static bool IsSupported(GemmKind kind) => kind switch
    {
        GemmKind.Scalar => true,
        GemmKind.Vector128 => Lanes128<float>.IsHardwareAccelerated,
        GemmKind.Vector256 => Lanes256<float>.IsHardwareAccelerated,
        GemmKind.Avx512 => Lanes512<float>.IsHardwareAccelerated,
        _ => false,
    };

    /// <summary>The implementation of <paramref name="kind"/>.</summary>
    /// <exception cref="PlatformNotSupportedException">This machine does not run <paramref name="kind"/>.</exception>
    public static IGemmKernel Get(GemmKind kind)
    {
        if (!IsSupported(kind))
        {
            throw new PlatformNotSupportedException($"gemm: the {kind} kernel needs hardware this machine lacks (or the JIT has been told not to "
                + $"use); supported here: {string.Join(", ", Supported)}.");
        }

        return s_kernels[(int)kind];
    }

    /// <summary>
    /// Runs every product of this flow of execution (this thread, and the tasks it starts) on <paramref name="kind"/> until the
    /// returned scope is disposed; other threads are unaffected, so tests running in parallel can each pick their own.
    /// </summary>
    /// <exception cref="PlatformNotSupportedException">This machine does not run <paramref name="kind"/>.</exception>
    public static Scope Use(GemmKind kind)
    {
        var kernel = Get(kind);
        var previous = s_override.Value;
        s_override.Value = kernel;
        return new Scope(previous);
    }

    /// <summary>Restores the implementation that was current before <see cref="Use"/>.</summary>
    internal readonly struct Scope(IGemmKernel? previous) : IDisposable
    {
        /// <summary>Restores the previous implementation.</summary>
        public void Dispose() => s_override.Value = previous;
    }
}
