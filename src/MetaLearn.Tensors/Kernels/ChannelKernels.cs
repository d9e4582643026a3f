using System.Numerics;
using System.Runtime.Intrinsics;
using MetaLearn.Tensors.Kernels.Simd;

namespace MetaLearn.Tensors.Kernels;

/// <summary>
/// SIMD passes over one channel's contiguous run of values, for batch normalization's fused forward and backward.
/// Sums come back in double; within a run they are accumulated in lanes of the element type. Each pass runs on the widest
/// hardware-accelerated vectors (<see cref="ChannelPasses{TLanes, TVector, T}"/>): 512, 256 or 128 bits.
/// </summary>
internal static class ChannelKernels
{
    public static double Sum<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Lanes512<T>.IsHardwareAccelerated ? ChannelPasses<Lanes512<T>, Vector512<T>, T>.Sum(x)
            : Lanes256<T>.IsHardwareAccelerated ? ChannelPasses<Lanes256<T>, Vector256<T>, T>.Sum(x)
            : ChannelPasses<Lanes128<T>, Vector128<T>, T>.Sum(x);

    /// <summary>Σ (x − m)².</summary>
    public static double SquaredDeviation<T>(ReadOnlySpan<T> x, T m)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Lanes512<T>.IsHardwareAccelerated ? ChannelPasses<Lanes512<T>, Vector512<T>, T>.SquaredDeviation(x, m)
            : Lanes256<T>.IsHardwareAccelerated ? ChannelPasses<Lanes256<T>, Vector256<T>, T>.SquaredDeviation(x, m)
            : ChannelPasses<Lanes128<T>, Vector128<T>, T>.SquaredDeviation(x, m);

    /// <summary>y = x·scale + shift, then max(·, 0) when <paramref name="relu"/>.</summary>
    public static void ScaleShift<T>(ReadOnlySpan<T> x, Span<T> y, T scale, T shift, bool relu)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (y.Length < x.Length)
        {
            throw new ArgumentException($"batch_norm: an output run of {y.Length} values cannot hold {x.Length}.", nameof(y));
        }

        if (Lanes512<T>.IsHardwareAccelerated)
        {
            ChannelPasses<Lanes512<T>, Vector512<T>, T>.ScaleShift(x, y, scale, shift, relu);
        }
        else if (Lanes256<T>.IsHardwareAccelerated)
        {
            ChannelPasses<Lanes256<T>, Vector256<T>, T>.ScaleShift(x, y, scale, shift, relu);
        }
        else
        {
            ChannelPasses<Lanes128<T>, Vector128<T>, T>.ScaleShift(x, y, scale, shift, relu);
        }
    }

    /// <summary>(Σ g', Σ g'·(x − m)) with g' = g, or g where output &gt; 0 when <paramref name="output"/> is given (fused ReLU).</summary>
    public static (double Sum, double Product) GradientSums<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, ReadOnlySpan<T> output, T m)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length < g.Length || (!output.IsEmpty && output.Length < g.Length))
        {
            throw new ArgumentException($"batch_norm: input and output runs ({x.Length}, {output.Length} values) are shorter than the gradient's "
                + $"{g.Length}.", nameof(x));
        }

        return Lanes512<T>.IsHardwareAccelerated ? ChannelPasses<Lanes512<T>, Vector512<T>, T>.GradientSums(g, x, output, m)
            : Lanes256<T>.IsHardwareAccelerated ? ChannelPasses<Lanes256<T>, Vector256<T>, T>.GradientSums(g, x, output, m)
            : ChannelPasses<Lanes128<T>, Vector128<T>, T>.GradientSums(g, x, output, m);
    }

    /// <summary>gx = gain·g' + slope·x + offset, with g' masked as in <see cref="GradientSums{T}"/>.</summary>
    public static void InputGradient<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, ReadOnlySpan<T> output, Span<T> gx, T gain, T slope, T offset)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length < g.Length || gx.Length < g.Length || (!output.IsEmpty && output.Length < g.Length))
        {
            throw new ArgumentException($"batch_norm: input, output or input-gradient runs ({x.Length}, {output.Length}, {gx.Length} values) are "
                + $"shorter than the gradient's {g.Length}.", nameof(x));
        }

        if (Lanes512<T>.IsHardwareAccelerated)
        {
            ChannelPasses<Lanes512<T>, Vector512<T>, T>.InputGradient(g, x, output, gx, gain, slope, offset);
        }
        else if (Lanes256<T>.IsHardwareAccelerated)
        {
            ChannelPasses<Lanes256<T>, Vector256<T>, T>.InputGradient(g, x, output, gx, gain, slope, offset);
        }
        else
        {
            ChannelPasses<Lanes128<T>, Vector128<T>, T>.InputGradient(g, x, output, gx, gain, slope, offset);
        }
    }
}
