using System.Numerics;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>The sizes of one convolution: images, the column matrix of one image ([Rows, Pixels]) and the window.</summary>
internal readonly struct ConvolutionShape
{
    private readonly int _channels, _height, _width;
    private readonly Window _window;

    public ConvolutionShape(int[] inputShape, int outputs, Window window)
    {
        Batch = inputShape[0];
        _channels = inputShape[1];
        _height = inputShape[2];
        _width = inputShape[3];
        _window = window;
        Outputs = outputs;
        Rows = _channels * window.KernelH * window.KernelW;
        Pixels = Im2Col.OutputSize(_height, window.ExtentH, window.StrideH, window.PadH) * Im2Col.OutputSize(_width, window.ExtentW, window.StrideW,
            window.PadW);
        ImageSize = _channels * _height * _width;
    }

    public int Batch { get; }

    public int Outputs { get; }

    /// <summary>Rows of one image's column matrix: channels · kh · kw.</summary>
    public int Rows { get; }

    /// <summary>Columns of one image's column matrix: output pixels.</summary>
    public int Pixels { get; }

    /// <summary>Elements of one input image.</summary>
    public int ImageSize { get; }

    /// <summary>
    /// Whether the products of one image run transposed (colsᵀ·Wᵀ forward, gᵀ·W for the column gradients) and are transposed
    /// back. With fewer pixels than one GEMM column panel (the 3×3 maps of the last block: 9 of 32 columns used) and channels
    /// that fill panels, the transposed product wastes nothing. With more pixels the partial last panel costs less than the
    /// transposes (measured: 2.6 → 0.95 ms for the 3×3 layer of 75 images, 8.7 → 9.9 ms if applied to the 14×14 one).
    /// </summary>
    public bool TransposedProductPays => Pixels < 32 && Rows >= 64 && Outputs % 16 == 0;

    /// <summary>
    /// Whether the products run on shifted views of the padded image (<see cref="ShiftedConvolution"/>) instead of a column
    /// matrix: stride and dilation 1, enough channels, and maps too large for the transposed product.
    /// </summary>
    public bool Shifted => !TransposedProductPays && ShiftedConvolution.Applies(_channels, Pixels, _window);

    /// <summary>The shifted products of this shape.</summary>
    public ShiftedConvolution ShiftedProducts => new(_channels, _height, _width, Outputs, _window);

    /// <summary>im2col of one image into [Rows, Pixels].</summary>
    public void Unfold<T>(ReadOnlySpan<T> image, Span<T> columns)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Im2Col.Forward(image, columns, 1, _channels, _height, _width, _window.KernelH, _window.KernelW, _window.StrideH, _window.StrideW,
            _window.PadH, _window.PadW, T.Zero, _window.DilationH, _window.DilationW);

    /// <summary>col2im of one image's column gradients from a scratch buffer, which it clobbers (the image is overwritten).</summary>
    public void Fold<T>(Span<T> columns, Span<T> image)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Im2Col.BackwardFromScratch(columns, image, 1, _channels, _height, _width, _window.KernelH, _window.KernelW, _window.StrideH,
            _window.StrideW, _window.PadH, _window.PadW, _window.DilationH, _window.DilationW);
}
