namespace MetaLearn.Tensors.Kernels;

/// <summary>Validated shape of an im2col transform, shared by <see cref="Im2Col"/>'s forward and adjoint passes.</summary>
internal readonly struct Im2ColGeometry
{
    private readonly int width;
    private readonly int strideW;
    private readonly int padW;

    /// <summary>Initializes a new instance of the <see cref="Im2ColGeometry"/> struct, checking arguments and buffer sizes.</summary>
    /// <param name="batch">Number of images.</param>
    /// <param name="channels">Channels per image.</param>
    /// <param name="height">Image height.</param>
    /// <param name="width">Image width.</param>
    /// <param name="kh">Kernel height.</param>
    /// <param name="kw">Kernel width.</param>
    /// <param name="strideH">Vertical stride.</param>
    /// <param name="strideW">Horizontal stride.</param>
    /// <param name="padH">Vertical padding.</param>
    /// <param name="padW">Horizontal padding.</param>
    /// <param name="imageLength">Length of the image buffer.</param>
    /// <param name="columnsLength">Length of the column buffer.</param>
    /// <param name="dilationH">Vertical spacing of the kernel taps (1: adjacent).</param>
    /// <param name="dilationW">Horizontal spacing of the kernel taps.</param>
    public Im2ColGeometry(int batch, int channels, int height, int width, int kh, int kw, int strideH, int strideW, int padH, int padW,
        int imageLength, int columnsLength, int dilationH = 1, int dilationW = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(channels);
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kh);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kw);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(strideH);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(strideW);
        ArgumentOutOfRangeException.ThrowIfNegative(padH);
        ArgumentOutOfRangeException.ThrowIfNegative(padW);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dilationH);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dilationW);
        int extentH = (dilationH * (kh - 1)) + 1, extentW = (dilationW * (kw - 1)) + 1;
        OutH = Im2Col.OutputSize(height, extentH, strideH, padH);
        OutW = Im2Col.OutputSize(width, extentW, strideW, padW);
        if (height + (2 * padH) < extentH || width + (2 * padW) < extentW)
        {
            throw new ArgumentException($"A {kh}x{kw} kernel (dilation {dilationH}x{dilationW}) does not fit a padded {height}x{width} image.", nameof(kh));
        }

        long images = (long)batch * channels;
        if (imageLength < images * height * width)
        {
            throw new ArgumentException($"The image buffer holds {imageLength} values, fewer than {images * height * width}.", nameof(imageLength));
        }

        if (columnsLength < images * kh * kw * OutH * OutW)
        {
            throw new ArgumentException($"The column buffer holds {columnsLength} values, fewer than {images * kh * kw * OutH * OutW}.", nameof(columnsLength));
        }

        this.width = width;
        this.strideW = strideW;
        this.padW = padW;
    }

    /// <summary>Gets the output height.</summary>
    public int OutH { get; }

    /// <summary>Gets the output width.</summary>
    public int OutW { get; }

    /// <summary>
    /// The output columns <c>[lo, hi)</c> whose input column <c>ox*strideW - padW + j</c> lies inside the
    /// image: <c>lo = ceil((padW - j) / strideW)</c> clamped at 0, <c>hi = floor((width - 1 + padW - j) / strideW) + 1</c>
    /// clamped at OutW (empty when hi ≤ lo).
    /// </summary>
    /// <param name="j">Horizontal offset of the kernel tap (its column times the dilation).</param>
    /// <param name="lo">First in-range output column.</param>
    /// <param name="hi">One past the last in-range output column.</param>
    public void ColumnRange(int j, out int lo, out int hi)
    {
        int first = padW - j;
        lo = first <= 0 ? 0 : (first + strideW - 1) / strideW;
        int last = width - 1 + padW - j;
        hi = last < 0 ? 0 : Math.Min(OutW, (last / strideW) + 1);
    }
}
