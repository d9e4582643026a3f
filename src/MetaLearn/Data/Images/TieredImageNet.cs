using MetaLearn.Data.Numpy;

namespace MetaLearn.Data.Images;

/// <summary>
/// Loads one split of tiered-ImageNet (Ren et al., ICLR 2018: 608 ImageNet classes in 34 categories, 20/6/8 categories
/// and 351/97/160 classes for train/val/test, 84 × 84 pixels) from its common release: <c>{split}_labels.pkl</c> with
/// either <c>{split}_images.npz</c> (an array <c>images</c>, uint8 [N, 84, 84, 3]) or <c>{split}_images_png.pkl</c> (a
/// pickled list of PNG-encoded images, as bytes or uint8 arrays), looked for in that order.
/// </summary>
/// <remarks>
/// Classes are <c>label_specific</c> in ascending order, named by <c>label_specific_str</c> when the file has it; each
/// class's group (<see cref="ImageDataset.Groups"/>) is its <c>label_general</c> category. Every image is held as float
/// pixels, so the 448,695 training images fit only at a reduced size: 84 × 84 RGB needs 38 GB and more than one array holds.
/// </remarks>
public static class TieredImageNet
{
    private const string Caller = "TieredImageNet";

    private const string Published = "tiered-ImageNet is not shipped with MetaLearn: the release of Ren et al. (tiered-imagenet.tar) is linked "
        + "from https://github.com/renmengye/few-shot-ssl-public.";

    /// <summary>84 × 84 RGB, the images' own size.</summary>
    public static ImageDecodeOptions DefaultOptions { get; } = new(84, 84, ImageChannels.Rgb);

    /// <summary>Loads the <paramref name="split"/> classes from the folder <paramref name="path"/>.</summary>
    /// <param name="path">The folder holding the labels and image files.</param>
    /// <param name="split">Which classes.</param>
    /// <param name="options">Size, channels and polarity; <see cref="DefaultOptions"/> when null.</param>
    /// <exception cref="FileNotFoundException">
    /// No folder, no labels file, or neither image file; the message says what was looked for, where, and where the set
    /// is published.
    /// </exception>
    /// <exception cref="InvalidDataException">
    /// A malformed file: not the pickle or arrays described, a wrong shape, a count that does not match the labels, or
    /// a PNG that does not decode.
    /// </exception>
    /// <exception cref="ArgumentException">The images do not fit in one array at the options' size.</exception>
    public static ImageDataset Load(string path, FewShotSplit split, ImageDecodeOptions? options = null)
    {
        string name = DatasetFiles.Name(split);
        string expected = $"'{name}_labels.pkl' with '{name}_images.npz' or '{name}_images_png.pkl'";
        var folder = DatasetFiles.Folder(path, expected, Caller, Published);
        options ??= DefaultOptions;
        var labels = DatasetFiles.Require(folder, $"{name}_labels.pkl", Caller, Published);
        var npz = Path.Combine(folder, $"{name}_images.npz");
        var png = Path.Combine(folder, $"{name}_images_png.pkl");
        if (!File.Exists(npz) && !File.Exists(png))
        {
            throw DatasetFiles.Missing(Caller, $"'{name}_images.npz' or '{name}_images_png.pkl'", folder, Published);
        }

        var classes = TieredImageNetLabels.Read(labels, Caller);
        int labelled = classes.Sum(c => c.Images.Count);
        if (File.Exists(npz))
        {
            var images = NpzFile.Read(npz, "images")[0];
            var (count, height, width) = ArrayImages.RequireColourImages(images, "images", Caller);
            RequireCount(count, labelled, npz, labels);
            return ArrayImages.Create(npz, options, classes, ArrayImages.ColourImageFill(images, height, width, options), Caller);
        }

        var encoded = PickleValue.Tuple(PickleReader.Read(png), "the pickle", png)
            .Select((item, index) => item is NumpyArray { DType: { Kind: 'u', ItemSize: 1 } } array ? array.Data
                : PickleValue.Bytes(item, $"image {index}", png)).ToArray();
        RequireCount(encoded.Length, labelled, png, labels);
        return ArrayImages.Create(png, options, classes, (index, destination) => ImageDecoder.Decode(encoded[index], $"{png}#{index}", options, destination),
            Caller);
    }

    private static void RequireCount(int images, int labels, string imageFile, string labelFile)
    {
        if (images != labels)
        {
            throw new InvalidDataException($"{Caller}: '{imageFile}' holds {images} images but '{labelFile}' labels {labels}.");
        }
    }
}
