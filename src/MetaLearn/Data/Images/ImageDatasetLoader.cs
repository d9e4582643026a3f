using System.Runtime.ExceptionServices;

namespace MetaLearn.Data.Images;

/// <summary>The machinery behind <see cref="Omniglot.Load"/>, <see cref="ImageFolder.Load"/>, and the loaders of sets listed in text files
/// (<see cref="MiniImageNet"/>'s CSVs, <see cref="Cub200"/>): find the classes, then read the cache or decode.</summary>
internal static class ImageDatasetLoader
{
    private const int Batch = 512;

    /// <summary>Loads the class folders at <paramref name="classDepth"/> of the tree at <paramref name="path"/> that <paramref name="select"/> keeps.</summary>
    public static ImageDataset Load(string path, int classDepth, ImageDecodeOptions options, IReadOnlyList<int> rotations,
        Func<LayoutClass[], LayoutClass[]> select, string? cacheFile, string caller)
    {
        using var tree = FileTree.Open(path, caller);
        return LoadClasses(tree, select(ClassFolderLayout.Find(tree, classDepth, caller)), options, rotations, cacheFile, caller);
    }

    /// <summary>Loads the images of <paramref name="folders"/>, classes found in <paramref name="tree"/> by a layout or a dataset's own lists.</summary>
    public static ImageDataset LoadClasses(FileTree tree, IReadOnlyList<LayoutClass> folders, ImageDecodeOptions options, IReadOnlyList<int> rotations,
        string? cacheFile, string caller)
    {
        var files = folders.SelectMany(c => c.Files).ToArray();
        long values = (long)files.Length * options.PixelsPerImage;
        if (values > Array.MaxLength)
        {
            throw new ArgumentException($"{caller}: {files.Length} images of {options.PixelsPerImage} values do not fit in one array; load fewer "
                + $"classes or a smaller size.", nameof(options));
        }

        var pixels = new float[values];
        var cache = ImageCacheOutcome.NotUsed;
        byte[]? header = null;
        if (cacheFile is not null)
        {
            header = DecodedImageCache.Header(options, files.Length, tree.Fingerprint(files));
            cache = DecodedImageCache.TryRead(cacheFile, header, pixels);
        }

        if (cache != ImageCacheOutcome.Hit)
        {
            Decode(tree, files, options, pixels);
            if (cacheFile is not null)
            {
                DecodedImageCache.Write(cacheFile, header!, pixels);
            }
        }

        return new ImageDataset(tree.Location, options, folders, [.. files.Select(tree.Describe)], rotations, pixels, cache);
    }

    /// <summary>Decodes <paramref name="files"/> into consecutive images of <paramref name="pixels"/>, reading one batch at a time and decoding it on
    /// all cores.</summary>
    /// <exception cref="InvalidDataException">A file is not a decodable image; the message names it.</exception>
    public static void Decode(FileTree tree, IReadOnlyList<string> files, ImageDecodeOptions options, float[] pixels)
    {
        int size = options.PixelsPerImage;
        for (int start = 0; start < files.Count; start += Batch)
        {
            int count = Math.Min(Batch, files.Count - start);
            var encoded = new byte[count][];
            for (int i = 0; i < count; i++)
            {
                encoded[i] = tree.ReadAllBytes(files[start + i]);
            }

            try
            {
                Parallel.For(0, count, i => ImageDecoder.Decode(encoded[i], tree.Describe(files[start + i]), options, pixels.AsSpan((start + i) * size, size)));
            }
            catch (AggregateException e)
            {
                ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }
        }
    }
}
