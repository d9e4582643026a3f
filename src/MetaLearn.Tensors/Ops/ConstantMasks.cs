using System.Numerics;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>
/// Elementwise functions with no rule, only ever computed as constants (<see cref="OpHelper.Constant{TMask}"/>): the
/// piecewise-constant masks that backward rules multiply by, whose derivative is 0 in every order.
/// </summary>
internal static class ConstantMasks
{
    /// <summary>−1, 0 or 1.</summary>
    public readonly struct Sign : IUnaryKernel
    {
        public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, T c)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < x.Length; i++)
            {
                y[i] = x[i] > T.Zero ? T.One : x[i] < T.Zero ? -T.One : T.Zero;
            }
        }
    }

    /// <summary>1 where x &gt; 0, else 0.</summary>
    public readonly struct Positive : IUnaryKernel
    {
        public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, T c)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < x.Length; i++)
            {
                y[i] = x[i] > T.Zero ? T.One : T.Zero;
            }
        }
    }

    /// <summary>1 where x &gt;= 0, else 0.</summary>
    public readonly struct NonNegative : IUnaryKernel
    {
        public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, T c)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < x.Length; i++)
            {
                y[i] = x[i] >= T.Zero ? T.One : T.Zero;
            }
        }
    }
}
