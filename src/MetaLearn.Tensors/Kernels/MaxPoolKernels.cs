using System.Numerics;
using System.Runtime.InteropServices;

namespace MetaLearn.Tensors.Kernels;

/// <summary>
/// Max pooling over planes of [planes, H, W] with the winning position of every window recorded as its offset in the window
/// (row · kw + column, stored as a value of the element type: exact for any window below 2²⁴ positions), and the two
/// linear maps that route gradients by those offsets: scatter (to the input) and gather (back to the output).
/// </summary>
internal readonly struct MaxPoolKernels
{
    private readonly Window _window;
    private readonly int _height, _width;

    public MaxPoolKernels(int planes, int height, int width, Window window)
    {
        Planes = planes;
        _height = height;
        _width = width;
        _window = window;
        OutH = Im2Col.OutputSize(height, window.KernelH, window.StrideH, window.PadH);
        OutW = Im2Col.OutputSize(width, window.KernelW, window.StrideW, window.PadW);
    }

    public int Planes { get; }

    public int OutH { get; }

    public int OutW { get; }

    /// <summary>y = the maximum of each window, offsets = where it is (the first one on ties, NaN wins); padding never wins.</summary>
    public void Forward<T>(ReadOnlySpan<T> x, Span<T> y, Span<T> offsets)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (IsTwoByTwo)
        {
            ForwardTwoByTwo(x, y, offsets);
            return;
        }

        int plane = _height * _width, outPlane = OutH * OutW;
        for (int p = 0; p < Planes; p++)
        {
            var src = x.Slice(p * plane, plane);
            int o = p * outPlane;
            for (int oy = 0; oy < OutH; oy++)
            {
                int y0 = (oy * _window.StrideH) - _window.PadH;
                int iLo = Math.Max(0, -y0), iHi = Math.Min(_window.KernelH, _height - y0);
                for (int ox = 0; ox < OutW; ox++, o++)
                {
                    int x0 = (ox * _window.StrideW) - _window.PadW;
                    int jLo = Math.Max(0, -x0), jHi = Math.Min(_window.KernelW, _width - x0);
                    T best = T.NegativeInfinity;
                    int at = -1;
                    for (int i = iLo; i < iHi; i++)
                    {
                        int rowStart = ((y0 + i) * _width) + x0;
                        for (int j = jLo; j < jHi; j++)
                        {
                            T v = src[rowStart + j];
                            if (at < 0 || v > best || (T.IsNaN(v) && !T.IsNaN(best)))
                            {
                                best = v;
                                at = (i * _window.KernelW) + j;
                            }
                        }
                    }

                    y[o] = best;
                    offsets[o] = T.CreateTruncating(at);
                }
            }
        }
    }

    /// <summary>dx = 0, then dx[winner of window o] += g[o] (windows may overlap).</summary>
    public void Scatter<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> offsets, Span<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (IsTwoByTwo)
        {
            ScatterTwoByTwo(g, offsets, dx);
            return;
        }

        dx.Clear();
        int plane = _height * _width, outPlane = OutH * OutW;
        for (int p = 0; p < Planes; p++)
        {
            var target = dx.Slice(p * plane, plane);
            for (int o = 0; o < outPlane; o++)
            {
                int at = int.CreateTruncating(offsets[(p * outPlane) + o]);
                if (at >= 0)
                {
                    target[Position(o, at)] += g[(p * outPlane) + o];
                }
            }
        }
    }

    /// <summary>y[o] = gx[winner of window o]: the adjoint of <see cref="Scatter{T}"/>.</summary>
    public void Gather<T>(ReadOnlySpan<T> gx, ReadOnlySpan<T> offsets, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int plane = _height * _width, outPlane = OutH * OutW;
        for (int p = 0; p < Planes; p++)
        {
            var source = gx.Slice(p * plane, plane);
            for (int o = 0; o < outPlane; o++)
            {
                int at = int.CreateTruncating(offsets[(p * outPlane) + o]);
                y[(p * outPlane) + o] = at >= 0 ? source[Position(o, at)] : T.Zero;
            }
        }
    }

    /// <summary>The common 2×2 window with stride 2 and no padding: windows tile the image, and positions need no division.</summary>
    private bool IsTwoByTwo => _window is { KernelH: 2, KernelW: 2, StrideH: 2, StrideW: 2, PadH: 0, PadW: 0 };

    private void ForwardTwoByTwo<T>(ReadOnlySpan<T> x, Span<T> y, Span<T> offsets)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int plane = _height * _width, outPlane = OutH * OutW;
        T one = T.One, two = one + one, three = two + one;
        for (int p = 0; p < Planes; p++)
        {
            var src = x.Slice(p * plane, plane);
            for (int oy = 0; oy < OutH; oy++)
            {
                var top = src.Slice(2 * oy * _width, _width);
                var bottom = src.Slice(((2 * oy) + 1) * _width, _width);
                var yRow = y.Slice((p * outPlane) + (oy * OutW), OutW);
                var oRow = offsets.Slice((p * outPlane) + (oy * OutW), OutW);
                if (typeof(T) == typeof(float) && MaxPoolTwoByTwo.Supports(OutW))
                {
                    MaxPoolTwoByTwo.Forward(AsFloat(top), AsFloat(bottom), AsFloat(yRow), AsFloat(oRow));
                    continue;
                }

                for (int ox = 0; ox < yRow.Length; ox++)
                {
                    T best = top[2 * ox], at = T.Zero;
                    T v = top[(2 * ox) + 1];
                    if (v > best || (T.IsNaN(v) && !T.IsNaN(best)))
                    {
                        best = v;
                        at = one;
                    }

                    v = bottom[2 * ox];
                    if (v > best || (T.IsNaN(v) && !T.IsNaN(best)))
                    {
                        best = v;
                        at = two;
                    }

                    v = bottom[(2 * ox) + 1];
                    if (v > best || (T.IsNaN(v) && !T.IsNaN(best)))
                    {
                        best = v;
                        at = three;
                    }

                    yRow[ox] = best;
                    oRow[ox] = at;
                }
            }
        }
    }

    private void ScatterTwoByTwo<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> offsets, Span<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int plane = _height * _width, outPlane = OutH * OutW;
        for (int p = 0; p < Planes; p++)
        {
            var target = dx.Slice(p * plane, plane);
            for (int oy = 0; oy < OutH; oy++)
            {
                var top = target.Slice(2 * oy * _width, _width);
                var bottom = target.Slice(((2 * oy) + 1) * _width, _width);
                var gRow = g.Slice((p * outPlane) + (oy * OutW), OutW);
                var oRow = offsets.Slice((p * outPlane) + (oy * OutW), OutW);

                // Every position of a window is written, so dx needs no clearing but the odd row and column left over.
                if (typeof(T) == typeof(float) && MaxPoolTwoByTwo.Supports(OutW))
                {
                    MaxPoolTwoByTwo.Scatter(AsFloat(gRow), AsFloat(oRow), AsFloat(top), AsFloat(bottom));
                }
                else
                {
                    for (int ox = 0; ox < gRow.Length; ox++)
                    {
                        int at = int.CreateTruncating(oRow[ox]);
                        T v = gRow[ox];
                        top[2 * ox] = at == 0 ? v : T.Zero;
                        top[(2 * ox) + 1] = at == 1 ? v : T.Zero;
                        bottom[2 * ox] = at == 2 ? v : T.Zero;
                        bottom[(2 * ox) + 1] = at == 3 ? v : T.Zero;
                    }
                }

                if ((_width & 1) != 0)
                {
                    top[^1] = T.Zero;
                    bottom[^1] = T.Zero;
                }
            }

            if ((_height & 1) != 0)
            {
                target.Slice((_height - 1) * _width, _width).Clear();
            }
        }
    }

    private static Span<float> AsFloat<T>(Span<T> span)
        where T : unmanaged
        => MemoryMarshal.Cast<T, float>(span);

    private static ReadOnlySpan<float> AsFloat<T>(ReadOnlySpan<T> span)
        where T : unmanaged
        => MemoryMarshal.Cast<T, float>(span);

    private int Position(int output, int offset)
    {
        int oy = output / OutW, ox = output % OutW;
        int iy = (oy * _window.StrideH) - _window.PadH + (offset / _window.KernelW);
        int ix = (ox * _window.StrideW) - _window.PadW + (offset % _window.KernelW);
        return (iy * _width) + ix;
    }
}
