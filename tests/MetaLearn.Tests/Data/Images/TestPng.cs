using StbImageWriteSharp;

namespace MetaLearn.Tests.Data.Images;

/// <summary>Writes small PNG files with known pixels for the loader tests.</summary>
internal static class TestPng
{
    /// <summary>A grayscale PNG of <paramref name="height"/> rows whose bytes are <paramref name="pixels"/>, row after row.</summary>
    public static byte[] Gray(int height, int width, params byte[] pixels) => Encode(pixels, width, height, ColorComponents.Grey);

    /// <summary>An RGB PNG whose bytes are <paramref name="pixels"/>, interleaved R, G, B.</summary>
    public static byte[] Rgb(int height, int width, params byte[] pixels) => Encode(pixels, width, height, ColorComponents.RedGreenBlue);

    /// <summary>Writes <paramref name="png"/> at <paramref name="path"/>, creating its folder.</summary>
    public static void Write(string path, byte[] png)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, png);
    }

    private static byte[] Encode(byte[] pixels, int width, int height, ColorComponents components)
    {
        using var stream = new MemoryStream();
        new ImageWriter().WritePng(pixels, width, height, components, stream);
        return stream.ToArray();
    }
}
