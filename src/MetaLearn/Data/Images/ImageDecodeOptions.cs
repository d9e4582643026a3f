namespace MetaLearn.Data.Images;

/// <summary>
/// What a decoded image looks like: its size after resizing, its channels, and whether dark pixels count as 1.
/// Pixel values are in [0, 1].
/// </summary>
public sealed record ImageDecodeOptions
{
    /// <summary>Creates the options, checking the size.</summary>
    /// <param name="height">Rows after resizing (at least 1).</param>
    /// <param name="width">Columns after resizing (at least 1).</param>
    /// <param name="channels">Channels to decode to.</param>
    /// <param name="invert">When true a pixel is 1 − intensity, so dark ink on white paper becomes 1 on 0.</param>
    public ImageDecodeOptions(int height, int width, ImageChannels channels = ImageChannels.Grayscale, bool invert = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        if (channels is not (ImageChannels.Grayscale or ImageChannels.Rgb))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "ImageDecodeOptions: channels must be Grayscale or Rgb.");
        }

        Height = height;
        Width = width;
        Channels = channels;
        Invert = invert;
    }

    /// <summary>Rows of every decoded image; images of another size are resized by area averaging.</summary>
    public int Height { get; }

    /// <summary>Columns of every decoded image.</summary>
    public int Width { get; }

    /// <summary>The channels decoded.</summary>
    public ImageChannels Channels { get; }

    /// <summary>Whether pixel values are 1 − intensity (ink = 1 on a white background).</summary>
    public bool Invert { get; }

    /// <summary>Values per decoded image: channels × height × width.</summary>
    public int PixelsPerImage => (int)Channels * Height * Width;

    /// <summary>Omniglot's convention: one channel, <paramref name="size"/>×<paramref name="size"/>, ink 1 and background 0.</summary>
    public static ImageDecodeOptions Omniglot(int size = 28) => new(size, size, ImageChannels.Grayscale, invert: true);
}
