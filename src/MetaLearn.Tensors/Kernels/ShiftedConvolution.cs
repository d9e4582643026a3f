using System.Numerics;

namespace MetaLearn.Tensors.Kernels;

/// <summary>
/// A stride-1 convolution of one image without a column matrix: the image is copied once into a zero-padded buffer, and the
/// product for each kernel tap (ky, kx) reads that buffer shifted by ky·Wp + kx as the right operand of a GEMM whose rows are
/// one padded plane apart. The products are summed over the taps into an output grid as wide as the padded image; its last
/// kw − 1 columns of each row straddle the border and are dropped when the grid is copied out.
/// </summary>
/// <remarks>
/// <para>
/// im2col writes and reads kh·kw copies of the image (450 KB per image for the Omniglot net's 14×14 layer, six times the
/// 70 KB padded copy); this reads the padded copy once per tap from cache instead, at the price of a product of k = C per
/// tap (the output grid is added to once per tap) and Wp − OW wasted columns per row (2 of 16 for 14×14). It pays when the
/// channels fill the reduction (at least <see cref="MinimumChannels"/>) and the map fills GEMM panels (at least
/// <see cref="MinimumPixels"/> output pixels); the first layer of an image net (one channel) and the 3×3 maps of the last
/// keep the column matrix.
/// </para>
/// <para>
/// The same shifted products give the input gradient (a correlation of the zero-padded output gradient with the taps' weights,
/// transposed) and the weight gradient (each tap's [C, O] block is the shifted image times the output gradient's transpose).
/// Each output element is the same sequence of operations whichever thread computes it, so results do not depend on the thread
/// count; they differ from the column-matrix path's in the order of the sum over taps (rounding only).
/// </para>
/// </remarks>
internal readonly struct ShiftedConvolution
{
    /// <summary>The fewest input channels for which the per-tap products (k = channels) beat the column matrix.</summary>
    public const int MinimumChannels = 8;

    /// <summary>The fewest output pixels for which the shifted products beat the column matrix's transposed product.</summary>
    public const int MinimumPixels = 32;

    private readonly int _channels, _height, _width, _outputs, _kh, _kw, _padH, _padW;

    public ShiftedConvolution(int channels, int height, int width, int outputs, Window window)
    {
        _channels = channels;
        _height = height;
        _width = width;
        _outputs = outputs;
        _kh = window.KernelH;
        _kw = window.KernelW;
        _padH = window.PadH;
        _padW = window.PadW;
        PaddedWidth = width + (2 * _padW);
        Plane = (height + (2 * _padH)) * PaddedWidth;
        PlaneStride = OffAlias(Plane);
        TransposedStride = OffAlias(outputs);
        OutH = height + (2 * _padH) - _kh + 1;
        OutW = PaddedWidth - _kw + 1;
        Grid = OutH * PaddedWidth;
        Margin = ((_kh - 1) * PaddedWidth) + _kw - 1;
    }

    /// <summary>Output rows.</summary>
    public int OutH { get; }

    /// <summary>Output columns.</summary>
    public int OutW { get; }

    /// <summary>Columns of the padded image, and of the output grid.</summary>
    public int PaddedWidth { get; }

    /// <summary>Elements of one padded plane.</summary>
    public int Plane { get; }

    /// <summary>
    /// The distance between the channels of the padded image: the plane rounded up to 16 more than a multiple of 32 elements,
    /// so the rows of a shifted view do not all fall in a few cache sets (the 16×16 planes of a 14×14 map are 1 KB apart
    /// otherwise, and the products ran slower than on the column matrix).
    /// </summary>
    public int PlaneStride { get; }

    /// <summary>Elements of one output grid row block: OutH rows of <see cref="PaddedWidth"/>.</summary>
    public int Grid { get; }

    /// <summary>The distance between the rows of the transposed output gradient [Grid, O], rounded as <see cref="PlaneStride"/> is.</summary>
    public int TransposedStride { get; }

    /// <summary>Length of the transposed output gradient buffer.</summary>
    public int TransposedLength => Grid * TransposedStride;

    /// <summary>Taps of the kernel.</summary>
    public int Taps => _kh * _kw;

    /// <summary>Length of the padded image buffer: the planes and the kw − 1 elements the last tap reads past the last one.</summary>
    public int PaddedLength => (_channels * PlaneStride) + _kw - 1;

    /// <summary>Length of the output grid buffer [O, Grid].</summary>
    public int GridLength => _outputs * Grid;

    /// <summary>Length of the zero-framed output gradient buffer [O, Margin + Plane] of the input gradient.</summary>
    public int FramedLength => _outputs * (Margin + Plane);

    /// <summary>Length of the input gradient's grid [C, H·Wp].</summary>
    public int InputGridLength => _channels * _height * PaddedWidth;

    /// <summary>Zeros before an output gradient row's first element in the framed buffer: the farthest any tap shifts back.</summary>
    private int Margin { get; }

    /// <summary>A row length rounded up to 16 more than a multiple of 32 elements.</summary>
    private static int OffAlias(int length) => length + ((32 - (((length - 16) % 32) + 32) % 32) % 32);

    /// <summary>Whether a convolution of this shape takes the shifted products (stride and dilation 1, enough channels and pixels).</summary>
    public static bool Applies(int channels, int outputPixels, Window window)
        => window is { StrideH: 1, StrideW: 1, DilationH: 1, DilationW: 1 } && channels >= MinimumChannels && outputPixels >= MinimumPixels;

    /// <summary>
    /// The weight [O, C, kh, kw] as the taps' blocks: forward [tap, O, C] (the left operand of the forward products) and
    /// backward [tap, C, O] (of the input gradient's); an empty span is not written.
    /// </summary>
    public void ArrangeWeight<T>(ReadOnlySpan<T> weight, Span<T> forward, Span<T> backward)
        where T : unmanaged
    {
        int taps = Taps, block = _outputs * _channels;
        for (int o = 0; o < _outputs; o++)
        {
            for (int c = 0; c < _channels; c++)
            {
                var source = weight.Slice(((o * _channels) + c) * taps, taps);
                for (int t = 0; t < taps; t++)
                {
                    if (!forward.IsEmpty)
                    {
                        forward[(t * block) + (o * _channels) + c] = source[t];
                    }

                    if (!backward.IsEmpty)
                    {
                        backward[(t * block) + (c * _outputs) + o] = source[t];
                    }
                }
            }
        }
    }

    /// <summary>Copies one image [C, H, W] into the zero-padded buffer [C, Hp, Wp] (and the zeros the last tap reads beyond it).</summary>
    public void Pad<T>(ReadOnlySpan<T> image, Span<T> padded)
        where T : unmanaged
    {
        padded[..PaddedLength].Clear();
        for (int c = 0; c < _channels; c++)
        {
            for (int y = 0; y < _height; y++)
            {
                image.Slice(((c * _height) + y) * _width, _width)
                    .CopyTo(padded.Slice((c * PlaneStride) + ((y + _padH) * PaddedWidth) + _padW, _width));
            }
        }
    }

    /// <summary>
    /// The forward products of one padded image: grid [O, Grid] = Σ over taps of W_tap [O, C] · (padded shifted by the tap),
    /// the taps in order. <paramref name="forwardWeight"/> is <see cref="ArrangeWeight{T}"/>'s forward layout.
    /// </summary>
    public unsafe void Forward<T>(ReadOnlySpan<T> forwardWeight, ReadOnlySpan<T> padded, Span<T> grid)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int block = _outputs * _channels;
        fixed (T* pw = forwardWeight, px = padded, pg = grid)
        {
            for (int t = 0; t < Taps; t++)
            {
                int shift = ((t / _kw) * PaddedWidth) + (t % _kw);
                Gemm.MultiplyWindows(pw + ((long)t * block), _channels, 1, px + shift, PlaneStride, pg, _outputs, Grid, _channels, accumulate: t > 0);
            }
        }
    }

    /// <summary>Copies the grid's valid columns to the output image [O, OutH, OutW], adding the bias when there is one.</summary>
    public void Compact<T>(ReadOnlySpan<T> grid, Span<T> output, ReadOnlySpan<T> bias)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int pixels = OutH * OutW;
        for (int o = 0; o < _outputs; o++)
        {
            for (int y = 0; y < OutH; y++)
            {
                var source = grid.Slice((o * Grid) + (y * PaddedWidth), OutW);
                var target = output.Slice((o * pixels) + (y * OutW), OutW);
                if (bias.IsEmpty)
                {
                    source.CopyTo(target);
                }
                else
                {
                    System.Numerics.Tensors.TensorPrimitives.Add(source, bias[o], target);
                }
            }
        }
    }

    /// <summary>
    /// The input gradient of one image: the output gradient [O, OutH, OutW] is framed with zeros ([O, Margin + Plane], its
    /// rows on the grid), each tap's W_tapᵀ [C, O] times the frame shifted back by the tap is summed into a grid over the
    /// padded image's interior rows, and the interior columns are copied to <paramref name="inputGradient"/> [C, H, W].
    /// </summary>
    public unsafe void InputGradient<T>(ReadOnlySpan<T> backwardWeight, ReadOnlySpan<T> outputGradient, Span<T> framed, Span<T> inputGrid,
        Span<T> inputGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int row = Margin + Plane, pixels = OutH * OutW, columns = _height * PaddedWidth, block = _outputs * _channels;
        framed[..FramedLength].Clear();
        for (int o = 0; o < _outputs; o++)
        {
            for (int y = 0; y < OutH; y++)
            {
                outputGradient.Slice((o * pixels) + (y * OutW), OutW).CopyTo(framed.Slice((o * row) + Margin + (y * PaddedWidth), OutW));
            }
        }

        // Grid column q is padded position first + q, first = padH·Wp: the rows that hold the image.
        int first = _padH * PaddedWidth;
        fixed (T* pw = backwardWeight, pf = framed, pg = inputGrid)
        {
            for (int t = 0; t < Taps; t++)
            {
                int shift = ((t / _kw) * PaddedWidth) + (t % _kw);
                Gemm.MultiplyWindows(pw + ((long)t * block), _outputs, 1, pf + Margin + first - shift, row, pg, _channels, columns, _outputs,
                    accumulate: t > 0);
            }
        }

        for (int c = 0; c < _channels; c++)
        {
            for (int y = 0; y < _height; y++)
            {
                inputGrid.Slice((c * columns) + (y * PaddedWidth) + _padW, _width).CopyTo(inputGradient.Slice(((c * _height) + y) * _width, _width));
            }
        }
    }

    /// <summary>
    /// The output gradient [O, OutH, OutW] transposed onto the grid: [Grid, O] with rows <see cref="TransposedStride"/> apart,
    /// zero in the rows of the columns the forward pass dropped, the right operand of <see cref="AddWeightGradient{T}"/>.
    /// <paramref name="grid"/> holds the gradient laid out on the grid, [O, Grid], on the way.
    /// </summary>
    public void TransposeOutputGradient<T>(ReadOnlySpan<T> outputGradient, Span<T> grid, Span<T> transposed)
        where T : unmanaged
    {
        int pixels = OutH * OutW;
        grid = grid[..GridLength];
        grid.Clear();
        for (int o = 0; o < _outputs; o++)
        {
            for (int y = 0; y < OutH; y++)
            {
                outputGradient.Slice((o * pixels) + (y * OutW), OutW).CopyTo(grid.Slice((o * Grid) + (y * PaddedWidth), OutW));
            }
        }

        Gemm.Transpose<T>(grid, transposed[..TransposedLength], _outputs, Grid, TransposedStride);
    }

    /// <summary>
    /// Adds (or, for the first image of a sum, writes) one image's weight gradient as the taps' blocks [tap, C, O]: block tap =
    /// (padded shifted by the tap) [C, Grid] · <paramref name="transposedGradient"/> [Grid, O].
    /// </summary>
    public unsafe void AddWeightGradient<T>(ReadOnlySpan<T> padded, ReadOnlySpan<T> transposedGradient, Span<T> taps, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int block = _outputs * _channels;
        fixed (T* px = padded, pg = transposedGradient, pt = taps)
        {
            for (int t = 0; t < Taps; t++)
            {
                int shift = ((t / _kw) * PaddedWidth) + (t % _kw);
                Gemm.MultiplyWindows(px + shift, PlaneStride, 1, pg, TransposedStride, pt + ((long)t * block), _channels, _outputs, Grid, accumulate);
            }
        }
    }

    /// <summary>The weight gradient [O, C, kh, kw] from the taps' blocks [tap, C, O].</summary>
    public void GatherWeightGradient<T>(ReadOnlySpan<T> taps, Span<T> weightGradient)
        where T : unmanaged
    {
        int count = Taps, block = _outputs * _channels;
        for (int o = 0; o < _outputs; o++)
        {
            for (int c = 0; c < _channels; c++)
            {
                var target = weightGradient.Slice(((o * _channels) + c) * count, count);
                for (int t = 0; t < count; t++)
                {
                    target[t] = taps[(t * block) + (c * _outputs) + o];
                }
            }
        }
    }
}
