using System.Numerics;
using System.Runtime.Intrinsics;
using MetaLearn.Tensors.Kernels.Simd;

namespace MetaLearn.Tensors.Kernels;

/// <summary>Elementwise kernels that the general unary and binary ones do not cover, on the widest hardware-accelerated vectors.</summary>
internal static class ActivationKernels
{
    /// <summary>y = g where x &gt; 0, else g·<paramref name="slope"/>: the vector-Jacobian product of leaky ReLU.</summary>
    /// <exception cref="ArgumentException">x or g is shorter than y.</exception>
    public static void LeakyReluGradient<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, Span<T> y, T slope)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (g.Length < y.Length || x.Length < y.Length)
        {
            throw new ArgumentException($"relu_backward: gradient and input ({g.Length}, {x.Length} values) are shorter than the output's "
                + $"{y.Length}.", nameof(g));
        }

        if (Lanes512<T>.IsHardwareAccelerated)
        {
            ActivationPasses<Lanes512<T>, Vector512<T>, T>.LeakyReluGradient(g, x, y, slope);
        }
        else if (Lanes256<T>.IsHardwareAccelerated)
        {
            ActivationPasses<Lanes256<T>, Vector256<T>, T>.LeakyReluGradient(g, x, y, slope);
        }
        else
        {
            ActivationPasses<Lanes128<T>, Vector128<T>, T>.LeakyReluGradient(g, x, y, slope);
        }
    }
}
