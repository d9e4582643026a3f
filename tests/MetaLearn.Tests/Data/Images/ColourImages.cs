namespace MetaLearn.Tests.Data.Images;

/// <summary>Small colour images with known bytes for the few-shot set loaders' tests.</summary>
internal static class ColourImages
{
    /// <summary>The byte of image <paramref name="image"/> at row y, column x, channel c: distinct across images, pixels and channels.</summary>
    public static byte At(int image, int y, int x, int c) => (byte)(((image * 41) + (y * 13) + (x * 7) + (c * 89)) % 256);

    /// <summary>Images 0..count−1 as numpy holds them: [count, height, width, 3], channels interleaved.</summary>
    public static byte[] Hwc(int count, int height, int width)
    {
        var bytes = new byte[count * height * width * 3];
        for (int n = 0, i = 0; n < count; n++)
        {
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    for (int c = 0; c < 3; c++)
                    {
                        bytes[i++] = At(n, y, x, c);
                    }
                }
            }
        }

        return bytes;
    }

    /// <summary>Image <paramref name="image"/> as a PNG.</summary>
    public static byte[] Png(int image, int height, int width)
        => TestPng.Rgb(height, width, Hwc(image + 1, height, width)[(image * height * width * 3)..]);

    /// <summary>What <c>GetInputs</c> gives for image <paramref name="image"/> at its own size: [3, H, W] planes of byte / 255.</summary>
    public static float[] Expected(int image, int height, int width)
    {
        var values = new float[3 * height * width];
        for (int c = 0, i = 0; c < 3; c++)
        {
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    values[i++] = At(image, y, x, c) / 255f;
                }
            }
        }

        return values;
    }

    /// <summary>The expected inputs of several images, one after another.</summary>
    public static float[] Expected(IEnumerable<int> images, int height, int width) => [.. images.SelectMany(i => Expected(i, height, width))];
}
