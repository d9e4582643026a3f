namespace MetaLearn.Data.Images;

/// <summary>
/// Loads Omniglot (Lake, Salakhutdinov and Tenenbaum, Science 2015) from the original release's layout
/// "images_background/&lt;Alphabet&gt;/characterNN/XXXX_YY.png", as a folder or straight from the zip.
/// </summary>
/// <remarks>
/// Images become [1, S, S] with ink 1 and background 0 (the PNGs are black strokes on white), resized from 105 × 105 by
/// area averaging. Each character is a class; with <see cref="OmniglotOptions.Rotations"/> each rotation of a
/// character is a class of its own, as in MAML (Finn et al. 2017) and prototypical networks (Snell et al. 2017).
/// <see cref="ImageDataset.Groups"/> are the alphabets: split with <see cref="ImageDataset.SplitByGroup(int, int)"/>,
/// never by drawer.
/// </remarks>
public static class Omniglot
{
    /// <summary>Loads the alphabets at <paramref name="path"/> (a folder or a zip file).</summary>
    /// <exception cref="FileNotFoundException">Nothing at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">Not the layout, an empty folder, or an image that does not decode; the message names the file.</exception>
    /// <exception cref="ArgumentException">Bad options, or an alphabet that is not there.</exception>
    public static ImageDataset Load(string path, OmniglotOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new OmniglotOptions();
        var decode = ImageDecodeOptions.Omniglot(options.ImageSize);
        var rotations = CheckRotations(options.Rotations);
        return ImageDatasetLoader.Load(path, classDepth: 2, decode, rotations, folders => SelectAlphabets(folders, options.Alphabets, path),
            options.CacheFile, "Omniglot");
    }

    /// <summary>Checks rotations are distinct multiples of 90 in [0, 270].</summary>
    internal static int[] CheckRotations(IReadOnlyList<int> rotations)
    {
        ArgumentNullException.ThrowIfNull(rotations);
        if (rotations.Count == 0 || rotations.Any(r => r is not (0 or 90 or 180 or 270)) || rotations.Distinct().Count() != rotations.Count)
        {
            throw new ArgumentException($"Omniglot: rotations [{string.Join(", ", rotations)}] must be distinct values among 0, 90, 180 and 270, "
                + $"at least one.", nameof(rotations));
        }

        return [.. rotations];
    }

    private static LayoutClass[] SelectAlphabets(LayoutClass[] folders, IReadOnlyList<string>? alphabets, string path)
    {
        if (alphabets is null)
        {
            return folders;
        }

        var present = folders.Select(f => f.Group).ToHashSet(StringComparer.Ordinal);
        foreach (var alphabet in alphabets)
        {
            if (!present.Contains(alphabet))
            {
                throw new ArgumentException($"Omniglot: no alphabet '{alphabet}' in '{path}'; it has "
                    + $"{string.Join(", ", present.Order(StringComparer.Ordinal))}.", nameof(alphabets));
            }
        }

        var wanted = alphabets.ToHashSet(StringComparer.Ordinal);
        return [.. folders.Where(f => wanted.Contains(f.Group))];
    }
}
