using System.Numerics;

namespace MetaLearn.Tensors.Kernels;

/// <summary>Unfolds image patches into columns so convolution becomes a matrix product (placeholder reference implementation).</summary>
internal static class Im2Col
{
    public static int OutputSize(int size, int kernel, int stride, int pad) => ((size + (2 * pad) - kernel) / stride) + 1;

    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> columns, int batch, int channels, int height, int width, int kh, int kw, int strideH, int strideW, int padH, int padW, T padValue)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int oh = OutputSize(height, kh, strideH, padH), ow = OutputSize(width, kw, strideW, padW);
        int l = oh * ow;
        for (int n = 0; n < batch; n++)
        {
            for (int c = 0; c < channels; c++)
            {
                for (int i = 0; i < kh; i++)
                {
                    for (int j = 0; j < kw; j++)
                    {
                        int row = (((n * channels) + c) * kh + i) * kw + j;
                        for (int oy = 0; oy < oh; oy++)
                        {
                            for (int ox = 0; ox < ow; ox++)
                            {
                                int y = (oy * strideH) - padH + i, xx = (ox * strideW) - padW + j;
                                columns[(row * l) + (oy * ow) + ox] = y >= 0 && y < height && xx >= 0 && xx < width
                                    ? x[(((n * channels) + c) * height + y) * width + xx]
                                    : padValue;
                            }
                        }
                    }
                }
            }
        }
    }

    public static void Backward<T>(ReadOnlySpan<T> columns, Span<T> dx, int batch, int channels, int height, int width, int kh, int kw, int strideH, int strideW, int padH, int padW)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        dx.Clear();
        int oh = OutputSize(height, kh, strideH, padH), ow = OutputSize(width, kw, strideW, padW);
        int l = oh * ow;
        for (int n = 0; n < batch; n++)
        {
            for (int c = 0; c < channels; c++)
            {
                for (int i = 0; i < kh; i++)
                {
                    for (int j = 0; j < kw; j++)
                    {
                        int row = (((n * channels) + c) * kh + i) * kw + j;
                        for (int oy = 0; oy < oh; oy++)
                        {
                            for (int ox = 0; ox < ow; ox++)
                            {
                                int y = (oy * strideH) - padH + i, xx = (ox * strideW) - padW + j;
                                if (y >= 0 && y < height && xx >= 0 && xx < width)
                                {
                                    dx[(((n * channels) + c) * height + y) * width + xx] += columns[(row * l) + (oy * ow) + ox];
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
