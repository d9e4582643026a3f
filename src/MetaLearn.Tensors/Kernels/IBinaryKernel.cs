using System.Numerics;

namespace MetaLearn.Tensors.Kernels;

/// <summary>
/// An elementwise function z = f(x, y) in the four forms the broadcasting walk of <see cref="Broadcasting"/> needs, in float and
/// double. Each implementation is a struct, so the walk is specialized by the JIT per function: no switch, no delegate.
/// </summary>
internal interface IBinaryKernel
{
    /// <summary>f(x, y) for one pair, used where both inputs are repeated along a whole row.</summary>
    static abstract T Scalar<T>(T x, T y)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>dst[i] = f(x[i], y[i]).</summary>
    static abstract void VectorVector<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> dst)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>dst[i] = f(x[i], y).</summary>
    static abstract void VectorScalar<T>(ReadOnlySpan<T> x, T y, Span<T> dst)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>dst[i] = f(x, y[i]).</summary>
    static abstract void ScalarVector<T>(T x, ReadOnlySpan<T> y, Span<T> dst)
        where T : unmanaged, IFloatingPointIeee754<T>;
}
