using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MetaLearn.Tensors.Kernels;

/// <summary>
/// SIMD passes over one channel's contiguous run of values, for batch normalization's fused forward and backward.
/// Sums come back in double; within a run they are accumulated in lanes of the element type.
/// </summary>
internal static class ChannelKernels
{
    public static double Sum<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        var acc = Vector512<T>.Zero;
        ref T px = ref MemoryMarshal.GetReference(x);
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + Vector512<T>.Count <= x.Length; i += Vector512<T>.Count)
            {
                acc += Load(ref px, i);
            }
        }

        double sum = double.CreateTruncating(Vector512.Sum(acc));
        for (; i < x.Length; i++)
        {
            sum += double.CreateTruncating(x[i]);
        }

        return sum;
    }

    /// <summary>Σ (x − m)².</summary>
    public static double SquaredDeviation<T>(ReadOnlySpan<T> x, T m)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        var acc = Vector512<T>.Zero;
        ref T px = ref MemoryMarshal.GetReference(x);
        if (Vector512.IsHardwareAccelerated)
        {
            var mv = Vector512.Create(m);
            for (; i + Vector512<T>.Count <= x.Length; i += Vector512<T>.Count)
            {
                var d = Load(ref px, i) - mv;
                acc += d * d;
            }
        }

        double sum = double.CreateTruncating(Vector512.Sum(acc));
        for (; i < x.Length; i++)
        {
            double d = double.CreateTruncating(x[i] - m);
            sum += d * d;
        }

        return sum;
    }

    /// <summary>y = x·scale + shift, then max(·, 0) when <paramref name="relu"/>.</summary>
    public static void ScaleShift<T>(ReadOnlySpan<T> x, Span<T> y, T scale, T shift, bool relu)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        ref T px = ref MemoryMarshal.GetReference(x);
        ref T py = ref MemoryMarshal.GetReference(y);
        if (Vector512.IsHardwareAccelerated)
        {
            var sv = Vector512.Create(scale);
            var tv = Vector512.Create(shift);
            for (; i + Vector512<T>.Count <= x.Length; i += Vector512<T>.Count)
            {
                var v = (Load(ref px, i) * sv) + tv;
                if (relu)
                {
                    v = Vector512.Max(v, Vector512<T>.Zero);
                }

                v.StoreUnsafe(ref py, (nuint)i);
            }
        }

        for (; i < x.Length; i++)
        {
            var v = (x[i] * scale) + shift;
            y[i] = relu && !(v > T.Zero) ? T.Zero : v;
        }
    }

    /// <summary>(Σ g', Σ g'·(x − m)) with g' = g, or g where output &gt; 0 when <paramref name="output"/> is given (fused ReLU).</summary>
    public static (double Sum, double Product) GradientSums<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, ReadOnlySpan<T> output, T m)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        bool masked = !output.IsEmpty;
        var sum = Vector512<T>.Zero;
        var product = Vector512<T>.Zero;
        ref T pg = ref MemoryMarshal.GetReference(g);
        ref T px = ref MemoryMarshal.GetReference(x);
        ref T po = ref MemoryMarshal.GetReference(output);
        if (Vector512.IsHardwareAccelerated)
        {
            var mv = Vector512.Create(m);
            for (; i + Vector512<T>.Count <= g.Length; i += Vector512<T>.Count)
            {
                var gv = Load(ref pg, i);
                if (masked)
                {
                    gv = Vector512.ConditionalSelect(Vector512.GreaterThan(Load(ref po, i), Vector512<T>.Zero), gv, Vector512<T>.Zero);
                }

                sum += gv;
                product += gv * (Load(ref px, i) - mv);
            }
        }

        double s = double.CreateTruncating(Vector512.Sum(sum));
        double p = double.CreateTruncating(Vector512.Sum(product));
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

    /// <summary>gx = gain·g' + slope·x + offset, with g' masked as in <see cref="GradientSums{T}"/>.</summary>
    public static void InputGradient<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, ReadOnlySpan<T> output, Span<T> gx, T gain, T slope, T offset)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        bool masked = !output.IsEmpty;
        ref T pg = ref MemoryMarshal.GetReference(g);
        ref T px = ref MemoryMarshal.GetReference(x);
        ref T po = ref MemoryMarshal.GetReference(output);
        ref T pgx = ref MemoryMarshal.GetReference(gx);
        if (Vector512.IsHardwareAccelerated)
        {
            var gainV = Vector512.Create(gain);
            var slopeV = Vector512.Create(slope);
            var offsetV = Vector512.Create(offset);
            for (; i + Vector512<T>.Count <= g.Length; i += Vector512<T>.Count)
            {
                var gv = Load(ref pg, i);
                if (masked)
                {
                    gv = Vector512.ConditionalSelect(Vector512.GreaterThan(Load(ref po, i), Vector512<T>.Zero), gv, Vector512<T>.Zero);
                }

                ((gv * gainV) + (Load(ref px, i) * slopeV) + offsetV).StoreUnsafe(ref pgx, (nuint)i);
            }
        }

        for (; i < g.Length; i++)
        {
            var gi = masked && !(output[i] > T.Zero) ? T.Zero : g[i];
            gx[i] = (gi * gain) + (x[i] * slope) + offset;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Load<T>(ref T start, int index) => Vector512.LoadUnsafe(ref start, (nuint)index);
}
