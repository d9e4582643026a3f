namespace MetaLearn.Data.Images;

/// <summary>
/// Loads one split of mini-ImageNet (Vinyals et al., NeurIPS 2016; the 64/16/20-class split of Ravi and Larochelle,
/// ICLR 2017: 600 images of 84 × 84 pixels per class) from whichever of its three common releases the folder holds,
/// looked for in this order:
/// <list type="number">
/// <item><description><c>mini-imagenet-cache-{train,val,test}.pkl</c>: a pickled dict with <c>image_data</c>, uint8
/// [N, 84, 84, 3], and <c>class_dict</c>, {class name: [image indices]} (the files learn2learn's <c>MiniImagenet</c> reads);</description></item>
/// <item><description><c>mini-imagenet-{train,val,test}.npz</c>: arrays <c>images</c>, uint8 [N, H, W, 3], and
/// <c>labels</c>, [N] integers or text;</description></item>
/// <item><description><c>{train,val,test}.csv</c> (header <c>filename,label</c>) over an <c>images/</c> folder of the
/// JPEGs they name (Ravi and Larochelle's split files).</description></item>
/// </list>
/// </summary>
/// <remarks>
/// Class ids follow the class names in ordinal order (label values, for integer labels); the images of a class keep
/// the file's order. Images are resized by area averaging to the options' size (84 × 84 RGB by default); the CSV
/// release decodes each JPEG, so it can keep a decoded-image cache as <see cref="ImageFolder.Load"/> does.
/// </remarks>
public static class MiniImageNet
{
    private const string Caller = "MiniImageNet";

    private const string Published = "mini-ImageNet is not shipped with MetaLearn: the split CSVs are published in "
        + "https://github.com/twitter/meta-learning-lstm (data/miniImagenet) over the ImageNet (ILSVRC-2012) images, and the pickled "
        + "mini-imagenet-cache-{train,val,test}.pkl files are the ones learn2learn downloads (https://github.com/learnables/learn2learn).";

    /// <summary>84 × 84 RGB, the images' own size.</summary>
    public static ImageDecodeOptions DefaultOptions { get; } = new(84, 84, ImageChannels.Rgb);

    /// <summary>Loads the <paramref name="split"/> classes from the folder <paramref name="path"/>.</summary>
    /// <param name="path">The folder holding the pickles, the .npz files, or the CSVs and <c>images/</c>.</param>
    /// <param name="split">Which classes.</param>
    /// <param name="options">Size, channels and polarity; <see cref="DefaultOptions"/> when null.</param>
    /// <param name="cacheFile">A decoded-image cache for the CSV release (see <see cref="ImageFolder.Load"/>); ignored by the others.</param>
    /// <exception cref="FileNotFoundException">
    /// No folder, or none of the three releases' files for the split; the message says what was looked for, where, and
    /// where the set is published.
    /// </exception>
    /// <exception cref="InvalidDataException">
    /// A file that is malformed: not the pickle or arrays described, a wrong shape, a CSV line or image that is
    /// missing; the message names it.
    /// </exception>
    public static ImageDataset Load(string path, FewShotSplit split, ImageDecodeOptions? options = null, string? cacheFile = null)
    {
        string name = DatasetFiles.Name(split);
        string expected = $"'mini-imagenet-cache-{name}.pkl', 'mini-imagenet-{name}.npz', or '{name}.csv' with an 'images' folder";
        var folder = DatasetFiles.Folder(path, expected, Caller, Published);
        options ??= DefaultOptions;
        var pickle = Path.Combine(folder, $"mini-imagenet-cache-{name}.pkl");
        if (File.Exists(pickle))
        {
            return MiniImageNetPickle.Load(pickle, options, Caller);
        }

        var npz = Path.Combine(folder, $"mini-imagenet-{name}.npz");
        if (File.Exists(npz))
        {
            return MiniImageNetNpz.Load(npz, options, Caller);
        }

        var csv = Path.Combine(folder, $"{name}.csv");
        if (File.Exists(csv))
        {
            return MiniImageNetCsv.Load(folder, csv, options, cacheFile, Caller, Published);
        }

        throw DatasetFiles.Missing(Caller, expected, folder, Published);
    }
}
