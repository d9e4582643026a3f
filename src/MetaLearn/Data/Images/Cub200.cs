using System.Globalization;

namespace MetaLearn.Data.Images;

/// <summary>
/// Loads one split of CUB-200-2011 (Wah, Branson, Welinder, Perona and Belongie, Caltech technical report
/// CNS-TR-2011-001): 11,788 photographs of 200 bird species, read through the release's own lists,
/// <c>classes.txt</c> ("id name"), <c>images.txt</c> ("id path under images/") and <c>image_class_labels.txt</c>
/// ("image id, class id").
/// </summary>
/// <remarks>
/// The few-shot split is 100/50/50 classes by class id: ids 1–100 for training, 101–150 for validation, 151–200 for
/// test (as in Hilliard et al. 2018 and Torchmeta's CUB; Chen et al. 2019, "A closer look at few-shot classification",
/// interleave the ids instead). <c>train_test_split.txt</c> splits images, not classes, so it is not read. Classes are in
/// id order, named as <c>classes.txt</c> names them ("001.Black_footed_Albatross"); a class's images are in image id
/// order. Photographs of every size are resized by area averaging, aspect ratio not kept, to the options' size (84 × 84
/// RGB by default); grey ones are repeated in three channels. Decoding every JPEG is slow: a decoded-image cache keeps
/// the result, as <see cref="ImageFolder.Load"/> does.
/// </remarks>
public static class Cub200
{
    private const string Caller = "Cub200";

    private const string Published = "CUB-200-2011 is not shipped with MetaLearn: download CUB_200_2011.tgz from "
        + "https://www.vision.caltech.edu/datasets/cub_200_2011/ and extract it.";

    /// <summary>84 × 84 RGB, the size few-shot papers use.</summary>
    public static ImageDecodeOptions DefaultOptions { get; } = new(84, 84, ImageChannels.Rgb);

    /// <summary>Loads the <paramref name="split"/> classes from the folder <paramref name="path"/>.</summary>
    /// <param name="path">The folder <c>CUB_200_2011</c>, holding the three lists and <c>images/</c>.</param>
    /// <param name="split">Which classes.</param>
    /// <param name="options">Size, channels and polarity; <see cref="DefaultOptions"/> when null.</param>
    /// <param name="cacheFile">A decoded-image cache file (see <see cref="ImageFolder.Load"/>); none when null.</param>
    /// <exception cref="FileNotFoundException">
    /// No folder, or a list missing; the message says what was looked for, where, and where the set is published.
    /// </exception>
    /// <exception cref="InvalidDataException">
    /// A malformed list (the message names the file and line), not the 200 classes, an image the lists name that is not
    /// there, or one that does not decode.
    /// </exception>
    public static ImageDataset Load(string path, FewShotSplit split, ImageDecodeOptions? options = null, string? cacheFile = null)
    {
        var folder = DatasetFiles.Folder(path, "the folder 'CUB_200_2011'", Caller, Published);
        var classNames = Read(DatasetFiles.Require(folder, "classes.txt", Caller, Published));
        var imagePaths = Read(DatasetFiles.Require(folder, "images.txt", Caller, Published));
        var labelsFile = DatasetFiles.Require(folder, "image_class_labels.txt", Caller, Published);
        var labels = Read(labelsFile);
        if (classNames.Count != 200 || Enumerable.Range(1, 200).Any(id => !classNames.ContainsKey(id)))
        {
            throw new InvalidDataException($"{Caller}: '{Path.Combine(folder, "classes.txt")}' lists {classNames.Count} classes; expected ids 1 to 200.");
        }

        var (first, last) = DatasetFiles.Choose(split, (1, 100), (101, 150), (151, 200));
        using var tree = FileTree.Open(folder, Caller);
        var byClass = Enumerable.Range(first, last - first + 1).ToDictionary(id => id, _ => new List<string>());
        foreach (var (imageId, relative) in imagePaths)
        {
            if (!labels.TryGetValue(imageId, out var label) || !int.TryParse(label, NumberStyles.None, CultureInfo.InvariantCulture, out int classId)
                || !classNames.ContainsKey(classId))
            {
                throw new InvalidDataException($"{Caller}: '{labelsFile}' gives image {imageId} no class of 'classes.txt'.");
            }

            var file = $"images/{relative}";
            if (byClass.TryGetValue(classId, out var files))
            {
                files.Add(tree.Contains(file) ? file
                    : throw new InvalidDataException(
                        $"{Caller}: 'images.txt' names image {imageId} '{relative}', but '{tree.Describe(file)}' does not exist."));
            }
        }

        var empty = byClass.FirstOrDefault(pair => pair.Value.Count == 0);
        if (empty.Value is not null)
        {
            throw new InvalidDataException(
                $"{Caller}: the class {empty.Key} '{classNames[empty.Key]}' has no image in '{Path.Combine(folder, "images.txt")}'.");
        }

        var classes = byClass.OrderBy(pair => pair.Key).Select(pair => new LayoutClass(string.Empty, classNames[pair.Key], pair.Value)).ToArray();
        return ImageDatasetLoader.LoadClasses(tree, classes, options ?? DefaultOptions, [0], cacheFile, Caller);
    }

    /// <summary>The lines "id value" of one of the release's lists, by id, in id order.</summary>
    private static SortedDictionary<int, string> Read(string file)
    {
        var result = new SortedDictionary<int, string>();
        var lines = File.ReadAllLines(file);
        for (int line = 0; line < lines.Length; line++)
        {
            var text = lines[line].Trim();
            if (text.Length == 0)
            {
                continue;
            }

            int space = text.IndexOf(' ', StringComparison.Ordinal);
            if (space <= 0 || !int.TryParse(text.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out int id)
                || !result.TryAdd(id, text[(space + 1)..].Trim()))
            {
                throw new InvalidDataException($"{Caller}: line {line + 1} of '{file}' is '{lines[line]}'; expected a new id, a space and a value.");
            }
        }

        return result;
    }
}
