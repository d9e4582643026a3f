using System.Numerics;
using System.Runtime.CompilerServices;
using MetaLearn.Tensors.Kernels.Simd;

namespace MetaLearn.Tensors.Kernels;

/// <summary>
/// The passes of <see cref="ChannelKernels"/> on one vector width (<typeparamref name="TLanes"/>): whole vectors first, then
/// the elements left over one by one. Where the width is not hardware-accelerated, only the scalar loop runs.
/// </summary>
/// <typeparam name="TLanes">The vector operations of one width.</typeparam>
/// <typeparam name="TVector">That width's vector of <typeparamref name="T"/>.</typeparam>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
internal static class ChannelPasses<TLanes, TVector, T>
    where TLanes : ISimdLanes<TVector, T>
    where TVector : unmanaged
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc cref="ChannelKernels.Sum{T}"/>
    public static unsafe double Sum(ReadOnlySpan<T> x)
    {
        int i = 0;
        var acc = default(TVector);
        fixed (T* px = x)
        {
            for (; TLanes.IsHardwareAccelerated && i + TLanes.Count <= x.Length; i += TLanes.Count)
            {
                acc = TLanes.Add(acc, TLanes.Load(px + i));
            }
        }

        double sum = double.CreateTruncating(TLanes.Sum(acc));
        for (; i < x.Length; i++)
        {
            sum += double.CreateTruncating(x[i]);
        }

        return sum;
    }

    /// <inheritdoc cref="ChannelKernels.SquaredDeviation{T}"/>
    public static unsafe double SquaredDeviation(ReadOnlySpan<T> x, T m)
    {
        int i = 0;
        var acc = default(TVector);
        var mv = TLanes.Create(m);
        fixed (T* px = x)
        {
            for (; TLanes.IsHardwareAccelerated && i + TLanes.Count <= x.Length; i += TLanes.Count)
            {
                var d = TLanes.Subtract(TLanes.Load(px + i), mv);
                acc = TLanes.Add(acc, TLanes.Multiply(d, d));
            }
        }

        double sum = double.CreateTruncating(TLanes.Sum(acc));
        for (; i < x.Length; i++)
        {
            double d = double.CreateTruncating(x[i] - m);
            sum += d * d;
        }

        return sum;
    }

    /// <inheritdoc cref="ChannelKernels.ScaleShift{T}"/>
    public static unsafe void ScaleShift(ReadOnlySpan<T> x, Span<T> y, T scale, T shift, bool relu)
    {
        int i = 0;
        var sv = TLanes.Create(scale);
        var tv = TLanes.Create(shift);
        fixed (T* px = x)
        fixed (T* py = y)
        {
            for (; TLanes.IsHardwareAccelerated && i + TLanes.Count <= x.Length; i += TLanes.Count)
            {
                var v = TLanes.Add(TLanes.Multiply(TLanes.Load(px + i), sv), tv);
                if (relu)
                {
                    v = TLanes.Max(v, default);
                }

                TLanes.Store(py + i, v);
            }
        }

        for (; i < x.Length; i++)
        {
            var v = (x[i] * scale) + shift;
            y[i] = relu && !(v > T.Zero) ? T.Zero : v;
        }
    }

    /// <inheritdoc cref="ChannelKernels.GradientSums{T}"/>
    public static unsafe (double Sum, double Product) GradientSums(ReadOnlySpan<T> g, ReadOnlySpan<T> x, ReadOnlySpan<T> output, T m)
    {
        int i = 0;
        bool masked = !output.IsEmpty;
        var sum = default(TVector);
        var product = default(TVector);
        var mv = TLanes.Create(m);
        fixed (T* pg = g)
        fixed (T* px = x)
        fixed (T* po = output)
        {
            for (; TLanes.IsHardwareAccelerated && i + TLanes.Count <= g.Length; i += TLanes.Count)
            {
                var gv = Routed(pg, po, i, masked);
                sum = TLanes.Add(sum, gv);
                product = TLanes.Add(product, TLanes.Multiply(gv, TLanes.Subtract(TLanes.Load(px + i), mv)));
            }
        }

        double s = double.CreateTruncating(TLanes.Sum(sum));
        double p = double.CreateTruncating(TLanes.Sum(product));
        for (; i < g.Length; i++)
        {
            if (masked && !(output[i] > T.Zero))
            {
                continue;
            }

            s += double.CreateTruncating(g[i]);
            p += double.CreateTruncating(g[i] * (x[i] - m));
        }

        return (s, p);
    }

    /// <inheritdoc cref="ChannelKernels.InputGradient{T}"/>
    public static unsafe void InputGradient(ReadOnlySpan<T> g, ReadOnlySpan<T> x, ReadOnlySpan<T> output, Span<T> gx, T gain, T slope, T offset)
    {
        int i = 0;
        bool masked = !output.IsEmpty;
        var gainV = TLanes.Create(gain);
        var slopeV = TLanes.Create(slope);
        var offsetV = TLanes.Create(offset);
        fixed (T* pg = g)
        fixed (T* px = x)
        fixed (T* po = output)
        fixed (T* pgx = gx)
        {
            for (; TLanes.IsHardwareAccelerated && i + TLanes.Count <= g.Length; i += TLanes.Count)
            {
                var gv = Routed(pg, po, i, masked);
                TLanes.Store(pgx + i, TLanes.Add(TLanes.Add(TLanes.Multiply(gv, gainV), TLanes.Multiply(TLanes.Load(px + i), slopeV)), offsetV));
            }
        }

        for (; i < g.Length; i++)
        {
            var gi = masked && !(output[i] > T.Zero) ? T.Zero : g[i];
            gx[i] = (gi * gain) + (x[i] * slope) + offset;
        }
    }

    /// <summary>The vector of g at <paramref name="i"/>, zeroed where the output is not positive when <paramref name="masked"/> (the fused ReLU).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe TVector Routed(T* g, T* output, int i, bool masked)
    {
        var gv = TLanes.Load(g + i);
        return masked ? TLanes.ConditionalSelect(TLanes.GreaterThan(TLanes.Load(output + i), default), gv, default) : gv;
    }
}
