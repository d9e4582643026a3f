using MetaLearn.Data.Numpy;

namespace MetaLearn.Data.Images;

/// <summary>
/// Reads CIFAR-100's python release (Krizhevsky 2009), <c>cifar-100-python/train</c> and <c>test</c>: pickled dicts
/// with <c>data</c>, uint8 [N, 3072] (each row the red, green and blue 32 × 32 planes), <c>fine_labels</c> and
/// <c>coarse_labels</c>. The few-shot sets built on it (<see cref="CifarFS"/>, <see cref="FC100"/>) use all 600 images of
/// a class, the 500 of <c>train</c> then the 100 of <c>test</c>.
/// </summary>
internal static class Cifar100
{
    /// <summary>Where CIFAR-100 is published.</summary>
    public const string Published = "CIFAR-100 is not shipped with MetaLearn: download cifar-100-python.tar.gz from "
        + "https://www.cs.toronto.edu/~kriz/cifar.html and extract it.";

    /// <summary>The 100 fine labels, in label order (which is alphabetical), as the release's <c>meta</c> file names them.</summary>
    public static readonly string[] FineNames =
    [
        "apple", "aquarium_fish", "baby", "bear", "beaver", "bed", "bee", "beetle", "bicycle", "bottle", "bowl", "boy", "bridge", "bus",
        "butterfly", "camel", "can", "castle", "caterpillar", "cattle", "chair", "chimpanzee", "clock", "cloud", "cockroach", "couch", "crab",
        "crocodile", "cup", "dinosaur", "dolphin", "elephant", "flatfish", "forest", "fox", "girl", "hamster", "house", "kangaroo", "keyboard",
        "lamp", "lawn_mower", "leopard", "lion", "lizard", "lobster", "man", "maple_tree", "motorcycle", "mountain", "mouse", "mushroom",
        "oak_tree", "orange", "orchid", "otter", "palm_tree", "pear", "pickup_truck", "pine_tree", "plain", "plate", "poppy", "porcupine",
        "possum", "rabbit", "raccoon", "ray", "road", "rocket", "rose", "sea", "seal", "shark", "shrew", "skunk", "skyscraper", "snail", "snake",
        "spider", "squirrel", "streetcar", "sunflower", "sweet_pepper", "table", "tank", "telephone", "television", "tiger", "tractor", "train",
        "trout", "tulip", "turtle", "wardrobe", "whale", "willow_tree", "wolf", "woman", "worm",
    ];

    /// <summary>The 20 coarse labels (superclasses), in label order.</summary>
    public static readonly string[] CoarseNames =
    [
        "aquatic_mammals", "fish", "flowers", "food_containers", "fruit_and_vegetables", "household_electrical_devices", "household_furniture",
        "insects", "large_carnivores", "large_man-made_outdoor_things", "large_natural_outdoor_scenes", "large_omnivores_and_herbivores",
        "medium_mammals", "non-insect_invertebrates", "people", "reptiles", "small_mammals", "trees", "vehicles_1", "vehicles_2",
    ];

    private const int Side = 32;
    private const int RowBytes = 3 * Side * Side;
    private static readonly string[] Parts = ["train", "test"];

    /// <summary>
    /// The fine classes that <paramref name="keep"/> (given a fine and its coarse label) keeps, which must be
    /// <paramref name="expectedClasses"/> classes; each class's group is its superclass.
    /// </summary>
    public static ImageDataset Load(string path, Func<int, int, bool> keep, int expectedClasses, ImageDecodeOptions options, string caller, string split)
    {
        const string Expected = "the files 'train' and 'test' of CIFAR-100's python release (the folder 'cifar-100-python' or the folder above it)";
        var folder = DatasetFiles.Folder(path, Expected, caller, Published);
        if (!File.Exists(Path.Combine(folder, "train")) && Directory.Exists(Path.Combine(folder, "cifar-100-python")))
        {
            folder = Path.Combine(folder, "cifar-100-python");
        }

        var parts = Parts.Select(name => Read(DatasetFiles.Require(folder, name, caller, Published), caller)).ToArray();
        var byFine = new SortedDictionary<int, List<int>>();
        var coarseOf = new Dictionary<int, int>();
        int offset = 0;
        foreach (var part in parts)
        {
            for (int row = 0; row < part.Fine.Length; row++)
            {
                int fine = (int)part.Fine[row];
                int coarse = (int)part.Coarse[row];
                if (coarseOf.TryGetValue(fine, out int known) && known != coarse)
                {
                    throw new InvalidDataException($"{caller}: in '{part.File}' the fine label {fine} has the coarse labels {known} and {coarse}.");
                }

                coarseOf[fine] = coarse;
                if (keep(fine, coarse))
                {
                    if (!byFine.TryGetValue(fine, out var rows))
                    {
                        byFine[fine] = rows = [];
                    }

                    rows.Add(offset + row);
                }
            }

            offset += part.Fine.Length;
        }

        if (byFine.Count != expectedClasses)
        {
            throw new InvalidDataException(
                $"{caller}: the {split} split has {expectedClasses} classes, but '{folder}' holds images of {byFine.Count} of them.");
        }

        int trainRows = parts[0].Fine.Length;
        var classes = byFine.Select(pair => (CoarseNames[coarseOf[pair.Key]], FineNames[pair.Key], (IReadOnlyList<int>)pair.Value)).ToArray();
        return ArrayImages.Create(folder, options, classes,
            (index, destination) =>
            {
                var (data, row) = index < trainRows ? (parts[0].Data, index) : (parts[1].Data, index - trainRows);
                ArrayImages.Convert(data.AsSpan(row * RowBytes, RowBytes), Side, Side, 3, channelsLast: false, options, destination);
            },
            caller, index => index < trainRows ? $"{parts[0].File}#{index}" : $"{parts[1].File}#{index - trainRows}");
    }

    private static (string File, byte[] Data, long[] Fine, long[] Coarse) Read(string file, string caller)
    {
        var root = PickleValue.Dict(PickleReader.Read(file), "the pickle", file);
        var data = PickleValue.Item(root, "data", file) as NumpyArray;
        if (data is null || data.DType.Kind != 'u' || data.DType.ItemSize != 1 || data.Shape.Count != 2 || data.Shape[1] != RowBytes)
        {
            throw new InvalidDataException($"{caller}: 'data' in '{file}' is {PickleValue.TypeName(root["data"])}; expected uint8 [N, {RowBytes}].");
        }

        var fine = PickleValue.Integers(PickleValue.Item(root, "fine_labels", file), "'fine_labels'", file);
        var coarse = PickleValue.Integers(PickleValue.Item(root, "coarse_labels", file), "'coarse_labels'", file);
        if (fine.Length != data.Shape[0] || coarse.Length != data.Shape[0])
        {
            throw new InvalidDataException($"{caller}: '{file}' has {data.Shape[0]} images, {fine.Length} fine and {coarse.Length} coarse labels.");
        }

        if (fine.Any(l => l is < 0 or >= 100) || coarse.Any(l => l is < 0 or >= 20))
        {
            throw new InvalidDataException($"{caller}: '{file}' has a fine label outside 0..99 or a coarse label outside 0..19.");
        }

        return (file, data.Data, fine, coarse);
    }
}
