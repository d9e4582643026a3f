namespace MetaLearn.Data.Images;

/// <summary>
/// Loads one split of FC100 (Oreshkin, Rodríguez López and Lacoste, "TADAM: Task dependent adaptive metric for improved
/// few-shot learning", NeurIPS 2018): CIFAR-100 split by superclass, 12 superclasses (60 classes) for training, 4 (20)
/// for validation and 4 (20) for test, 600 images of 32 × 32 pixels per class, read from CIFAR-100's python release.
/// </summary>
/// <remarks>
/// The superclass lists are the paper's (as Torchmeta and learn2learn have them). A class's group is its superclass;
/// its images are its 500 of <c>train</c> then its 100 of <c>test</c>; classes are in fine-label (alphabetical) order.
/// </remarks>
public static class FC100
{
    private const string Caller = "FC100";

    private static readonly string[] TrainSuperclasses =
    [
        "fish", "flowers", "food_containers", "fruit_and_vegetables", "household_electrical_devices", "household_furniture",
        "large_man-made_outdoor_things", "large_natural_outdoor_scenes", "reptiles", "trees", "vehicles_1", "vehicles_2",
    ];

    private static readonly string[] ValidationSuperclasses =
    [
        "large_carnivores", "large_omnivores_and_herbivores", "non-insect_invertebrates", "small_mammals",
    ];

    private static readonly string[] TestSuperclasses = ["aquatic_mammals", "insects", "medium_mammals", "people"];

    /// <summary>32 × 32 RGB, the images' own size.</summary>
    public static ImageDecodeOptions DefaultOptions { get; } = new(32, 32, ImageChannels.Rgb);

    /// <summary>The CIFAR-100 superclass names of <paramref name="split"/> (12, 4 or 4; five classes each).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined split.</exception>
    public static IReadOnlyList<string> Superclasses(FewShotSplit split)
        => DatasetFiles.Choose(split, TrainSuperclasses, ValidationSuperclasses, TestSuperclasses);

    /// <summary>Loads the <paramref name="split"/> classes from CIFAR-100's python release at <paramref name="path"/>.</summary>
    /// <param name="path">The folder <c>cifar-100-python</c> (holding <c>train</c> and <c>test</c>), or the folder above it.</param>
    /// <param name="split">Which superclasses.</param>
    /// <param name="options">Size, channels and polarity; <see cref="DefaultOptions"/> when null.</param>
    /// <exception cref="FileNotFoundException">
    /// No folder, or no <c>train</c> or <c>test</c> file; the message says what was looked for, where, and where
    /// CIFAR-100 is published.
    /// </exception>
    /// <exception cref="InvalidDataException">
    /// A malformed file: not the pickle described, a wrong shape, labels out of range, or a class of the split with no
    /// image.
    /// </exception>
    public static ImageDataset Load(string path, FewShotSplit split, ImageDecodeOptions? options = null)
    {
        var names = Superclasses(split);
        var wanted = names.Select(name => Array.IndexOf(Cifar100.CoarseNames, name)).ToHashSet();
        return Cifar100.Load(path, (_, coarse) => wanted.Contains(coarse), 5 * names.Count, options ?? DefaultOptions, Caller, DatasetFiles.Name(split));
    }
}
