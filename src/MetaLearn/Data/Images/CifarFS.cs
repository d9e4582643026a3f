namespace MetaLearn.Data.Images;

/// <summary>
/// Loads one split of CIFAR-FS (Bertinetto, Henriques, Torr and Vedaldi, "Meta-learning with differentiable
/// closed-form solvers", ICLR 2019): the 100 CIFAR-100 classes cut at random into 64 for training, 16 for validation
/// and 20 for test, 600 images of 32 × 32 pixels each, read from CIFAR-100's python release.
/// </summary>
/// <remarks>
/// The class lists are the authors' (<c>data/cifar-fs/splits/bertinetto/{train,val,test}.txt</c> in
/// https://github.com/bertinetto/r2d2, the same lists Torchmeta and learn2learn use). A class's images are its 500 of
/// <c>train</c> then its 100 of <c>test</c>; classes are in fine-label (alphabetical) order, grouped by superclass.
/// </remarks>
public static class CifarFS
{
    private const string Caller = "CifarFS";

    private static readonly string[] TrainClasses =
    [
        "dolphin", "seal", "aquarium_fish", "ray", "trout", "orchid", "sunflower", "tulip", "bottle", "bowl", "can", "cup", "plate", "apple",
        "mushroom", "orange", "pear", "clock", "keyboard", "chair", "couch", "bee", "caterpillar", "cockroach", "bear", "lion", "tiger", "wolf",
        "bridge", "castle", "house", "road", "skyscraper", "cloud", "forest", "mountain", "elephant", "kangaroo", "porcupine", "possum",
        "raccoon", "skunk", "lobster", "spider", "boy", "girl", "dinosaur", "lizard", "snake", "turtle", "hamster", "mouse", "rabbit", "shrew",
        "squirrel", "oak_tree", "palm_tree", "pine_tree", "willow_tree", "bus", "train", "lawn_mower", "streetcar", "tank",
    ];

    private static readonly string[] ValidationClasses =
    [
        "beaver", "otter", "flatfish", "shark", "lamp", "television", "beetle", "butterfly", "sea", "camel", "cattle", "crab", "crocodile",
        "maple_tree", "motorcycle", "tractor",
    ];

    private static readonly string[] TestClasses =
    [
        "whale", "poppy", "rose", "sweet_pepper", "telephone", "bed", "table", "wardrobe", "leopard", "plain", "chimpanzee", "fox", "snail",
        "worm", "baby", "man", "woman", "bicycle", "pickup_truck", "rocket",
    ];

    /// <summary>32 × 32 RGB, the images' own size.</summary>
    public static ImageDecodeOptions DefaultOptions { get; } = new(32, 32, ImageChannels.Rgb);

    /// <summary>The CIFAR-100 class names of <paramref name="split"/> (64, 16 or 20).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined split.</exception>
    public static IReadOnlyList<string> ClassNames(FewShotSplit split) => DatasetFiles.Choose(split, TrainClasses, ValidationClasses, TestClasses);

    /// <summary>Loads the <paramref name="split"/> classes from CIFAR-100's python release at <paramref name="path"/>.</summary>
    /// <param name="path">The folder <c>cifar-100-python</c> (holding <c>train</c> and <c>test</c>), or the folder above it.</param>
    /// <param name="split">Which classes.</param>
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
        var names = ClassNames(split);
        var wanted = names.Select(name => Array.IndexOf(Cifar100.FineNames, name)).ToHashSet();
        return Cifar100.Load(path, (fine, _) => wanted.Contains(fine), names.Count, options ?? DefaultOptions, Caller, DatasetFiles.Name(split));
    }
}
