using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MetaLearn.Tensors.Kernels;

/// <summary>
/// The im2col transform that turns a 2-D convolution into a matrix product, and its adjoint (col2im).
/// </summary>
/// <remarks>
/// For an input <c>x[b, c, y, x]</c> and a kernel of size kh x kw, row <c>(c*kh + i)*kw + j</c> and column
/// <c>oy*outW + ox</c> of image b's column matrix hold the pixel <c>x[b, c, oy*strideH - padH + i,
/// ox*strideW - padW + j]</c>. A convolution with weights <c>W[outC, c*kh*kw]</c> is then
/// <c>W · columns[b]</c>. For a fixed (c, i, j, oy) the in-range output columns ox form one interval,
/// computed up front, so the interior is copied without per-element bounds tests — as one contiguous run
/// when the horizontal stride is 1.
/// </remarks>
internal static class Im2Col
{
    /// <summary>
    /// x: [batch, channels, height, width] → columns: [batch, channels*kh*kw, outH*outW], row index = (c*kh + i)*kw + j,
    /// column index = oy*outW + ox; input pixel (oy*strideH - padH + i, ox*strideW - padW + j); out-of-range pixels read padValue.
    /// </summary>
    /// <typeparam name="T"><c>float</c> or <c>double</c>.</typeparam>
    /// <param name="x">Input images, [batch, channels, height, width].</param>
    /// <param name="columns">Output, [batch, channels*kh*kw, outH*outW]; fully overwritten.</param>
    /// <param name="batch">Number of images.</param>
    /// <param name="channels">Channels per image.</param>
    /// <param name="height">Image height.</param>
    /// <param name="width">Image width.</param>
    /// <param name="kh">Kernel height.</param>
    /// <param name="kw">Kernel width.</param>
    /// <param name="strideH">Vertical stride.</param>
    /// <param name="strideW">Horizontal stride.</param>
    /// <param name="padH">Rows of padding above and below.</param>
    /// <param name="padW">Columns of padding left and right.</param>
    /// <param name="padValue">Value read outside the image (0 for convolution, -∞ for max pooling).</param>
    /// <param name="dilationH">Vertical spacing of the kernel taps: tap i reads row oy*strideH - padH + i*dilationH.</param>
    /// <param name="dilationW">Horizontal spacing of the kernel taps.</param>
    public static void Forward<T>(
        ReadOnlySpan<T> x, Span<T> columns, int batch, int channels, int height, int width, int kh, int kw, int strideH, int strideW, int padH,
            int padW, T padValue, int dilationH = 1, int dilationW = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = new Im2ColGeometry(batch, channels, height, width, kh, kw, strideH, strideW, padH, padW, x.Length, columns.Length, dilationH, dilationW);
        int plane = height * width;
        int outW = g.OutW;

        if (strideH == 1 && strideW == 1 && dilationH == 1 && dilationW == 1 && g.OutH == height && g.OutW == width)
        {
            SamePadding(x, columns, batch * channels, height, width, kh, kw, padH, padW, padValue);
            return;
        }

        int dst = 0;
        for (int image = 0; image < batch * channels; image++)
        {
            ReadOnlySpan<T> src = x.Slice(image * plane, plane);
            for (int i = 0; i < kh; i++)
            {
                int tapY = i * dilationH;
                for (int j = 0; j < kw; j++)
                {
                    int tapX = j * dilationW;
                    g.ColumnRange(tapX, out int oxLo, out int oxHi);
                    for (int oy = 0; oy < g.OutH; oy++, dst += outW)
                    {
                        Span<T> row = columns.Slice(dst, outW);
                        int iy = (oy * strideH) - padH + tapY;
                        if ((uint)iy >= (uint)height || oxLo >= oxHi)
                        {
                            row.Fill(padValue);
                            continue;
                        }

                        for (int t = 0; t < oxLo; t++)
                        {
                            row[t] = padValue;
                        }

                        for (int t = oxHi; t < row.Length; t++)
                        {
                            row[t] = padValue;
                        }

                        int ix0 = (oxLo * strideW) - padW + tapX;
                        ReadOnlySpan<T> srcRow = src.Slice(iy * width, width);
                        if (strideW == 1)
                        {
                            CopyRun(srcRow.Slice(ix0, oxHi - oxLo), row[oxLo..oxHi]);
                        }
                        else
                        {
                            Span<T> interior = row[oxLo..oxHi];
                            ReadOnlySpan<T> source = srcRow.Slice(ix0, ((interior.Length - 1) * strideW) + 1);
                            for (int t = 0, s = 0; t < interior.Length; t++, s += strideW)
                            {
                                interior[t] = source[s];
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>The adjoint: adds each column entry back into its input pixel (padding positions dropped). dx is overwritten (zeroed first).</summary>
    /// <typeparam name="T"><c>float</c> or <c>double</c>.</typeparam>
    /// <param name="columns">Column gradients, [batch, channels*kh*kw, outH*outW].</param>
    /// <param name="dx">Input gradient, [batch, channels, height, width]; overwritten.</param>
    /// <param name="batch">Number of images.</param>
    /// <param name="channels">Channels per image.</param>
    /// <param name="height">Image height.</param>
    /// <param name="width">Image width.</param>
    /// <param name="kh">Kernel height.</param>
    /// <param name="kw">Kernel width.</param>
    /// <param name="strideH">Vertical stride.</param>
    /// <param name="strideW">Horizontal stride.</param>
    /// <param name="padH">Rows of padding above and below.</param>
    /// <param name="padW">Columns of padding left and right.</param>
    /// <param name="dilationH">Vertical spacing of the kernel taps.</param>
    /// <param name="dilationW">Horizontal spacing of the kernel taps.</param>
    public static void Backward<T>(
        ReadOnlySpan<T> columns, Span<T> dx, int batch, int channels, int height, int width, int kh, int kw, int strideH, int strideW, int padH,
            int padW, int dilationH = 1, int dilationW = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = new Im2ColGeometry(batch, channels, height, width, kh, kw, strideH, strideW, padH, padW, dx.Length, columns.Length, dilationH, dilationW);
        int plane = height * width;
        int outW = g.OutW;
        dx[..(batch * channels * plane)].Clear();

        int src = 0;
        for (int image = 0; image < batch * channels; image++)
        {
            Span<T> target = dx.Slice(image * plane, plane);
            for (int i = 0; i < kh; i++)
            {
                int tapY = i * dilationH;
                for (int j = 0; j < kw; j++)
                {
                    int tapX = j * dilationW;
                    g.ColumnRange(tapX, out int oxLo, out int oxHi);
                    for (int oy = 0; oy < g.OutH; oy++, src += outW)
                    {
                        int iy = (oy * strideH) - padH + tapY;
                        if ((uint)iy >= (uint)height || oxLo >= oxHi)
                        {
                            continue;
                        }

                        ReadOnlySpan<T> interior = columns.Slice(src + oxLo, oxHi - oxLo);
                        int ix0 = (oxLo * strideW) - padW + tapX;
                        Span<T> targetRow = target.Slice(iy * width, width);
                        if (strideW == 1)
                        {
                            AddRun(interior, targetRow.Slice(ix0, interior.Length));
                        }
                        else
                        {
                            Span<T> run = targetRow.Slice(ix0, ((interior.Length - 1) * strideW) + 1);
                            for (int t = 0, s = 0; t < interior.Length; t++, s += strideW)
                            {
                                run[s] += interior[t];
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// col2im that may overwrite <paramref name="columns"/> (a scratch buffer of the caller's): for stride 1 and "same" padding
    /// the entries that read padding are zeroed, and each window position's block is then added to the image at its constant
    /// flat offset in one pass. Other geometries take <see cref="Backward{T}"/>.
    /// </summary>
    /// <typeparam name="T"><c>float</c> or <c>double</c>.</typeparam>
    /// <param name="columns">Column gradients, [batch, channels*kh*kw, outH*outW]; clobbered.</param>
    /// <param name="dx">Input gradient, [batch, channels, height, width]; overwritten.</param>
    /// <param name="batch">Number of images.</param>
    /// <param name="channels">Channels per image.</param>
    /// <param name="height">Image height.</param>
    /// <param name="width">Image width.</param>
    /// <param name="kh">Kernel height.</param>
    /// <param name="kw">Kernel width.</param>
    /// <param name="strideH">Vertical stride.</param>
    /// <param name="strideW">Horizontal stride.</param>
    /// <param name="padH">Rows of padding above and below.</param>
    /// <param name="padW">Columns of padding left and right.</param>
    /// <param name="dilationH">Vertical spacing of the kernel taps.</param>
    /// <param name="dilationW">Horizontal spacing of the kernel taps.</param>
    public static void BackwardFromScratch<T>(
        Span<T> columns, Span<T> dx, int batch, int channels, int height, int width, int kh, int kw, int strideH, int strideW, int padH, int padW,
            int dilationH = 1, int dilationW = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = new Im2ColGeometry(batch, channels, height, width, kh, kw, strideH, strideW, padH, padW, dx.Length, columns.Length, dilationH, dilationW);
        if (!(strideH == 1 && strideW == 1 && dilationH == 1 && dilationW == 1 && g.OutH == height && g.OutW == width))
        {
            Backward<T>(columns, dx, batch, channels, height, width, kh, kw, strideH, strideW, padH, padW, dilationH, dilationW);
            return;
        }

        int plane = height * width;
        dx[..(batch * channels * plane)].Clear();
        int src = 0;
        for (int p = 0; p < batch * channels; p++)
        {
            Span<T> target = dx.Slice(p * plane, plane);
            for (int i = 0; i < kh; i++)
            {
                int dy = i - padH;
                int rowLo = Math.Max(0, -dy), rowHi = Math.Min(height, height - dy);
                for (int j = 0; j < kw; j++, src += plane)
                {
                    if (rowLo >= rowHi)
                    {
                        continue;
                    }

                    Span<T> block = columns.Slice(src, plane);
                    int dxShift = j - padW;
                    for (int oy = rowLo; oy < rowHi; oy++)
                    {
                        var row = block.Slice(oy * width, width);
                        for (int ox = 0; ox < -dxShift && ox < width; ox++)
                        {
                            row[ox] = T.Zero;
                        }

                        for (int ox = Math.Max(0, width - dxShift); ox < width; ox++)
                        {
                            row[ox] = T.Zero;
                        }
                    }

                    int offset = (dy * width) + dxShift;
                    int lo = (rowLo * width) + Math.Max(0, -dxShift), hi = (rowHi * width) - Math.Max(0, dxShift);
                    if (hi > lo)
                    {
                        var run = target.Slice(lo + offset, hi - lo);
                        TensorPrimitives.Add(run, block[lo..hi], run);
                    }
                }
            }
        }
    }

    /// <summary>
    /// im2col for stride 1 and "same" padding (the output is as large as the input, as in every 3×3 layer of the few-shot
    /// nets). Then the block of window position (i, j) is the plane itself read at the constant flat offset
    /// (i − padH)·width + (j − padW): one contiguous copy per block, after which only the rows outside the image and the
    /// columns that wrapped around a row edge are overwritten with padding. Row-by-row copies of 7 to 28 values cost several
    /// times more.
    /// </summary>
    private static void SamePadding<T>(ReadOnlySpan<T> x, Span<T> columns, int planes, int height, int width, int kh, int kw, int padH, int padW, T padValue)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int plane = height * width;
        int dst = 0;
        for (int p = 0; p < planes; p++)
        {
            ReadOnlySpan<T> src = x.Slice(p * plane, plane);
            for (int i = 0; i < kh; i++)
            {
                int dy = i - padH;
                int rowLo = Math.Max(0, -dy), rowHi = Math.Min(height, height - dy);
                for (int j = 0; j < kw; j++, dst += plane)
                {
                    Span<T> block = columns.Slice(dst, plane);
                    int dx = j - padW;
                    if (rowLo >= rowHi)
                    {
                        block.Fill(padValue);
                        continue;
                    }

                    block[..(rowLo * width)].Fill(padValue);
                    block[(rowHi * width)..].Fill(padValue);

                    // Output index t reads input index t + offset; the first and last few may fall outside the plane, and they
                    // are wrapped columns anyway.
                    int offset = (dy * width) + dx;
                    int lo = (rowLo * width) + Math.Max(0, -dx), hi = (rowHi * width) - Math.Max(0, dx);
                    if (hi > lo)
                    {
                        src.Slice(lo + offset, hi - lo).CopyTo(block[lo..hi]);
                    }

                    for (int oy = rowLo; oy < rowHi; oy++)
                    {
                        var row = block.Slice(oy * width, width);
                        for (int ox = 0; ox < -dx && ox < width; ox++)
                        {
                            row[ox] = padValue;
                        }

                        for (int ox = Math.Max(0, width - dx); ox < width; ox++)
                        {
                            row[ox] = padValue;
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Copies one short row run (7 to 28 values in the few-shot nets) with two overlapping vector moves where it can: a general
    /// copy's call and size dispatch cost more than the move itself at this length.
    /// </summary>
    private static void CopyRun<T>(ReadOnlySpan<T> source, Span<T> target)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = source.Length;
        if (n > target.Length)
        {
            throw new ArgumentException("im2col: run longer than its target.", nameof(source));
        }

        ref T ps = ref MemoryMarshal.GetReference(source);
        ref T pt = ref MemoryMarshal.GetReference(target);
        if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count && n <= 4 * Vector256<T>.Count)
        {
            // Whole vectors from the front, then one vector ending at the last value (it may rewrite a few equal values).
            int i = 0;
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
            {
                Vector256.LoadUnsafe(ref ps, (nuint)i).StoreUnsafe(ref pt, (nuint)i);
            }

            if (i < n)
            {
                Vector256.LoadUnsafe(ref ps, (nuint)(n - Vector256<T>.Count)).StoreUnsafe(ref pt, (nuint)(n - Vector256<T>.Count));
            }

            return;
        }

        if (Vector128.IsHardwareAccelerated && n >= Vector128<T>.Count && n < Vector256<T>.Count)
        {
            Vector128.LoadUnsafe(ref ps).StoreUnsafe(ref pt);
            Vector128.LoadUnsafe(ref ps, (nuint)(n - Vector128<T>.Count)).StoreUnsafe(ref pt, (nuint)(n - Vector128<T>.Count));
            return;
        }

        source.CopyTo(target);
    }

    /// <summary>
    /// target += source for the short runs of one image row (7 to 28 values in the few-shot nets), where the general span
    /// primitives cost more in their checks than in the arithmetic.
    /// </summary>
    private static void AddRun<T>(ReadOnlySpan<T> source, Span<T> target)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (target.Length < source.Length)
        {
            throw new ArgumentException("col2im: run longer than its target.", nameof(source));
        }

        int i = 0;
        ref T ps = ref MemoryMarshal.GetReference(source);
        ref T pt = ref MemoryMarshal.GetReference(target);
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + Vector256<T>.Count <= source.Length; i += Vector256<T>.Count)
            {
                (Vector256.LoadUnsafe(ref pt, (nuint)i) + Vector256.LoadUnsafe(ref ps, (nuint)i)).StoreUnsafe(ref pt, (nuint)i);
            }
        }

        // The rest of the run in 128-bit vectors (all of it where 256-bit vectors are not accelerated: SSE, NEON).
        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + Vector128<T>.Count <= source.Length; i += Vector128<T>.Count)
            {
                (Vector128.LoadUnsafe(ref pt, (nuint)i) + Vector128.LoadUnsafe(ref ps, (nuint)i)).StoreUnsafe(ref pt, (nuint)i);
            }
        }

        for (; i < source.Length; i++)
        {
            target[i] += source[i];
        }
    }

    /// <summary>Output extent of a convolution or pooling window along one axis.</summary>
    /// <param name="size">Input extent.</param>
    /// <param name="kernel">Window extent (for a dilated kernel of k taps, dilation·(k − 1) + 1).</param>
    /// <param name="stride">Step between windows.</param>
    /// <param name="pad">Padding added on both sides.</param>
    /// <returns><c>(size + 2*pad - kernel) / stride + 1</c>.</returns>
    public static int OutputSize(int size, int kernel, int stride, int pad) => (size + (2 * pad) - kernel) / stride + 1;
}
