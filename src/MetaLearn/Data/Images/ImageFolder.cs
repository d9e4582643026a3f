namespace MetaLearn.Data.Images;

/// <summary>
/// Loads a dataset laid out as one folder per class, "&lt;class&gt;/&lt;image&gt;", from a folder or a zip file (the class
/// folders at its top or under one top folder). Any image StbImageSharp reads (PNG, JPEG, BMP, GIF, TGA) is taken;
/// other files are ignored.
/// </summary>
public static class ImageFolder
{
    /// <summary>Loads and decodes every image at <paramref name="path"/>, resized by area averaging to the options' size.</summary>
    /// <param name="path">A folder or zip file.</param>
    /// <param name="options">Size, channels and polarity of the decoded images.</param>
    /// <param name="cacheFile">
    /// A decoded-image cache file, or null for none. When given, it is read instead of decoding if it was written for
    /// the same options and the same source (a zip's length, write time and SHA-256, or each image file's path, length
    /// and write time) and its checksum holds; otherwise the images are decoded and the file rewritten atomically.
    /// <see cref="ImageDataset.Cache"/> says which happened.
    /// </param>
    /// <exception cref="FileNotFoundException">Nothing at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">Not the layout, an empty class folder, or an image that does not decode; the message names the file.</exception>
    /// <exception cref="IOException">The cache cannot be written.</exception>
    public static ImageDataset Load(string path, ImageDecodeOptions options, string? cacheFile = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(options);
        return ImageDatasetLoader.Load(path, classDepth: 1, options, [0], folders => folders, cacheFile, "ImageFolder");
    }
}
