using StbImageSharp;

namespace MetaLearn.Data.Images;

/// <summary>Decodes an encoded image (PNG, JPEG, BMP, GIF, TGA: whatever StbImageSharp reads) into planar float pixels.</summary>
internal static class ImageDecoder
{
    /// <summary>The file extensions taken as images (others in a dataset folder are ignored).</summary>
    public static readonly IReadOnlySet<string> Extensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".png", ".jpg", ".jpeg", ".bmp",
        ".gif", ".tga" };

    /// <summary>Whether <paramref name="path"/> has an image extension.</summary>
    public static bool IsImage(string path) => Extensions.Contains(Path.GetExtension(path));

    /// <summary>
    /// Decodes <paramref name="encoded"/> into <paramref name="destination"/> [C, H, W] as <paramref name="options"/> say:
    /// bytes 0..255 become 0..1 (or 1..0 when inverted), then every plane is resized by area averaging.
    /// </summary>
    /// <param name="encoded">The file's bytes.</param>
    /// <param name="name">The file, for error messages.</param>
    /// <param name="options">Size, channels and polarity.</param>
    /// <param name="destination">Exactly <see cref="ImageDecodeOptions.PixelsPerImage"/> values.</param>
    /// <exception cref="InvalidDataException">The bytes are not an image StbImageSharp can decode.</exception>
    public static void Decode(byte[] encoded, string name, ImageDecodeOptions options, Span<float> destination)
    {
        int channels = (int)options.Channels;
        var image = Read(encoded, name, options.Channels == ImageChannels.Rgb ? ColorComponents.RedGreenBlue : ColorComponents.Grey);
        int area = image.Width * image.Height;
        if (image.Width <= 0 || image.Height <= 0 || image.Data is null || image.Data.Length < area * channels)
        {
            throw new InvalidDataException($"The image '{name}' decoded to {image.Width}x{image.Height} pixels with {image.Data?.Length ?? 0} "
                + $"bytes; it is empty or truncated.");
        }

        ArrayImages.Convert(image.Data, image.Height, image.Width, channels, channelsLast: true, options, destination);
    }

    private static ImageResult Read(byte[] encoded, string name, ColorComponents components)
    {
        if (encoded.Length == 0)
        {
            throw new InvalidDataException($"The image '{name}' is an empty file.");
        }

        try
        {
            return ImageResult.FromMemory(encoded, components);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // StbImageSharp reports a bad file with a plain Exception (or an index error on a truncated one).
            throw new InvalidDataException($"The image '{name}' cannot be decoded ({e.GetType().Name}: {e.Message}).", e);
        }
    }
}
