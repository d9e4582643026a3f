using System.Runtime.ExceptionServices;
using MetaLearn.Data.Numpy;

namespace MetaLearn.Data.Images;

/// <summary>
/// Builds an <see cref="ImageDataset"/> from images held in one file rather than one file each (a pickle, a .npz, CIFAR's
/// batches): 8-bit pixels, or encoded images, converted as <see cref="ImageDecodeOptions"/> say, as
/// <see cref="ImageDecoder"/> does with files.
/// </summary>
internal static class ArrayImages
{
    /// <summary>
    /// A dataset of <paramref name="classes"/> (each listing the indices of its images in <paramref name="source"/>, in
    /// order); <paramref name="fill"/> writes the image of an index into its [C, H, W] place, on all cores, and
    /// <paramref name="describe"/> names it for <see cref="ImageDataset.FileOf"/> ("source#index" when null).
    /// </summary>
    public static ImageDataset Create(string source, ImageDecodeOptions options, IReadOnlyList<(string Group, string Name, IReadOnlyList<int> Images)> classes,
        Action<int, Span<float>> fill, string caller, Func<int, string>? describe = null)
    {
        var order = classes.SelectMany(c => c.Images).ToArray();
        if (order.Length == 0)
        {
            throw new InvalidDataException($"{caller}: '{source}' holds no images.");
        }

        int size = options.PixelsPerImage;
        if ((long)order.Length * size > Array.MaxLength)
        {
            throw new ArgumentException($"{caller}: {order.Length} images of {size} values do not fit in one array; ask for a smaller image size.",
                nameof(options));
        }

        var pixels = new float[order.Length * size];
        try
        {
            Parallel.For(0, order.Length, i => fill(order[i], pixels.AsSpan(i * size, size)));
        }
        catch (AggregateException e)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }

        var folders = classes.Select(c => new LayoutClass(c.Group, c.Name, [.. c.Images.Select(describe ?? (i => $"{source}#{i}"))])).ToArray();
        return new ImageDataset(source, options, folders, [.. folders.SelectMany(f => f.Files)], [0], pixels, ImageCacheOutcome.NotUsed);
    }

    /// <summary>Checks that <paramref name="images"/> is uint8 [N, H, W, 3] (numpy's layout of colour images) and gives N, H and W.</summary>
    public static (int Count, int Height, int Width) RequireColourImages(NumpyArray images, string key, string caller)
    {
        var shape = images.Shape;
        if (images.DType.Kind != 'u' || images.DType.ItemSize != 1 || shape.Count != 4 || shape[3] != 3 || shape[1] == 0 || shape[2] == 0)
        {
            throw new InvalidDataException($"{caller}: '{key}' in '{images.Where}' is {images.Describe()}; expected uint8 [N, height, width, 3].");
        }

        return ((int)shape[0], (int)shape[1], (int)shape[2]);
    }

    /// <summary>What <see cref="Create"/> fills images with from a checked uint8 [N, <paramref name="height"/>, <paramref name="width"/>, 3] array.</summary>
    public static Action<int, Span<float>> ColourImageFill(NumpyArray images, int height, int width, ImageDecodeOptions options)
    {
        int bytes = height * width * 3;
        var data = images.Data;
        return (index, destination) => Convert(data.AsSpan(index * bytes, bytes), height, width, 3, channelsLast: true, options, destination);
    }

    /// <summary>
    /// Converts one 8-bit image, <paramref name="channels"/> (1 or 3) interleaved per pixel when <paramref name="channelsLast"/>
    /// ([H, W, C]) or one plane after another ([C, H, W]), into <paramref name="destination"/> [C, H, W] as <paramref name="options"/> say:
    /// bytes 0..255 to 0..1 (1..0 when inverted), colour to stb_image's grey or grey repeated, then each plane resized by area averaging.
    /// </summary>
    public static void Convert(ReadOnlySpan<byte> image, int height, int width, int channels, bool channelsLast, ImageDecodeOptions options,
        Span<float> destination)
    {
        int area = height * width;
        int target = options.Height * options.Width;
        var plane = new float[area];
        for (int c = 0; c < (int)options.Channels; c++)
        {
            for (int i = 0; i < area; i++)
            {
                int value = channels == 1 ? image[i]
                    : options.Channels == ImageChannels.Rgb ? At(image, i, c, area, channelsLast)
                    : ((At(image, i, 0, area, channelsLast) * 77) + (At(image, i, 1, area, channelsLast) * 150)
                        + (At(image, i, 2, area, channelsLast) * 29)) >> 8;
                plane[i] = options.Invert ? 1f - (value / 255f) : value / 255f;
            }

            AreaResize.Resize(plane, height, width, destination.Slice(c * target, target), options.Height, options.Width);
        }
    }

    private static int At(ReadOnlySpan<byte> image, int pixel, int channel, int area, bool channelsLast)
        => channelsLast ? image[(pixel * 3) + channel] : image[(channel * area) + pixel];
}
