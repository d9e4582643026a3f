using MetaLearn.Data.Tabular;

namespace MetaLearn.Data.Images;

/// <summary>Reads Ravi and Larochelle's split CSV (header <c>filename,label</c>) over the <c>images/</c> folder it names files in (or its
/// per-class subfolders <c>images/&lt;label&gt;/</c>).</summary>
internal static class MiniImageNetCsv
{
    /// <summary>One class per label, in ordinal order, its images in the CSV's order, decoded (or read from <paramref name="cacheFile"/>).</summary>
    /// <exception cref="FileNotFoundException">No <c>images/</c> folder.</exception>
    /// <exception cref="InvalidDataException">A bad header or line, or a named image that is not there; the message names the line.</exception>
    public static ImageDataset Load(string folder, string csv, ImageDecodeOptions options, string? cacheFile, string caller, string published)
    {
        if (!Directory.Exists(Path.Combine(folder, "images")))
        {
            throw DatasetFiles.Missing(caller, $"the folder 'images' of the JPEGs that '{Path.GetFileName(csv)}' names", folder, published);
        }

        var lines = File.ReadAllLines(csv);
        if (lines.Length == 0 || !CsvFields.Split(lines[0], ',', () => csv).SequenceEqual(["filename", "label"]))
        {
            throw new InvalidDataException($"{caller}: '{csv}' does not start with the header 'filename,label'.");
        }

        using var tree = FileTree.Open(folder, caller);
        var byLabel = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        for (int line = 1; line < lines.Length; line++)
        {
            if (string.IsNullOrWhiteSpace(lines[line]))
            {
                continue;
            }

            var fields = CsvFields.Split(lines[line], ',', () => $"{csv}, line {line + 1}");
            if (fields.Count != 2 || fields[0].Length == 0 || fields[1].Length == 0)
            {
                throw new InvalidDataException($"{caller}: line {line + 1} of '{csv}' is '{lines[line]}'; expected 'filename,label'.");
            }

            // The JPEGs are in images/ itself, or in one folder per class under it.
            var image = $"images/{fields[0]}";
            if (!tree.Contains(image) && !tree.Contains(image = $"images/{fields[1]}/{fields[0]}"))
            {
                throw new InvalidDataException($"{caller}: line {line + 1} of '{csv}' names '{fields[0]}', but neither "
                    + $"'{tree.Describe($"images/{fields[0]}")}' nor '{tree.Describe(image)}' exists.");
            }

            if (!byLabel.TryGetValue(fields[1], out var files))
            {
                byLabel[fields[1]] = files = [];
            }

            files.Add(image);
        }

        if (byLabel.Count == 0)
        {
            throw new InvalidDataException($"{caller}: '{csv}' lists no images.");
        }

        var classes = byLabel.Select(pair => new LayoutClass(string.Empty, pair.Key, pair.Value)).ToArray();
        return ImageDatasetLoader.LoadClasses(tree, classes, options, [0], cacheFile, caller);
    }
}
