using System.Numerics;

namespace MetaLearn.Tensors.Kernels;

/// <summary>
/// An elementwise function y = f(x; c) over spans, in float and double. Each implementation is a struct, so the generic
/// dispatch of <see cref="Unary.Apply{TKernel}"/> is specialized by the JIT per function: no switch, no delegate.
/// </summary>
internal interface IUnaryKernel
{
    /// <summary>Writes f(x[i]; c) to y[i] for every i; the spans have the same length.</summary>
    static abstract void Forward<T>(ReadOnlySpan<T> x, Span<T> y, T c)
        where T : unmanaged, IFloatingPointIeee754<T>;
}
