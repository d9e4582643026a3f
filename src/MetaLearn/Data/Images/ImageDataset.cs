using MetaLearn.Tensors;

namespace MetaLearn.Data.Images;

/// <summary>
/// A labelled dataset of decoded images, one class per folder (and per rotation, when rotations are asked for), ready
/// for <see cref="FewShotSampler"/>: <see cref="GetInputs"/> gives float32 tensors [n, C, H, W] with values in [0, 1].
/// Made by <see cref="Omniglot.Load"/>, <see cref="ImageFolder.Load"/>, and the few-shot benchmarks' loaders
/// (<see cref="MiniImageNet"/>, <see cref="TieredImageNet"/>, <see cref="CifarFS"/>, <see cref="FC100"/>, <see cref="Cub200"/>), one split each.
/// </summary>
/// <remarks>
/// Each image is held once, as C·H·W floats, however many rotations it appears in; a rotated example is turned when
/// <see cref="GetInputs"/> copies it out. Class ids are 0..K−1 in the order of <see cref="ClassInfo"/>: by group, then
/// class folder (ordinal), then rotation; the examples of a class are its files in ordinal order.
/// </remarks>
public sealed partial class ImageDataset : ILabeledDataset
{
    private readonly float[] _pixels;
    private readonly string[] _files;
    private readonly int[] _exampleImage;
    private readonly int[] _exampleClass;
    private readonly int[][] _byClass;
    private readonly ImageClass[] _classInfo;
    private readonly int[] _classes;

    /// <summary>Wraps decoded images: <paramref name="pixels"/> holds the images of <paramref name="folders"/>' files, folder after folder.</summary>
    internal ImageDataset(string source, ImageDecodeOptions options, IReadOnlyList<LayoutClass> folders, IReadOnlyList<string> files,
        IReadOnlyList<int> rotations, float[] pixels, ImageCacheOutcome cache)
    {
        Source = source;
        Options = options;
        Cache = cache;
        _pixels = pixels;
        _files = [.. files];
        int classCount = folders.Count * rotations.Count;
        _classInfo = new ImageClass[classCount];
        _byClass = new int[classCount][];
        _exampleImage = new int[_files.Length * rotations.Count];
        _exampleClass = new int[_exampleImage.Length];
        int example = 0;
        int firstImage = 0;
        for (int f = 0; f < folders.Count; f++)
        {
            int images = folders[f].Files.Count;
            for (int r = 0; r < rotations.Count; r++)
            {
                int id = (f * rotations.Count) + r;
                _classInfo[id] = new ImageClass(folders[f].Group, folders[f].Name, rotations[r]);
                _byClass[id] = new int[images];
                for (int i = 0; i < images; i++, example++)
                {
                    _byClass[id][i] = example;
                    _exampleImage[example] = firstImage + i;
                    _exampleClass[example] = id;
                }
            }

            firstImage += images;
        }

        _classes = [.. Enumerable.Range(0, classCount)];
        Groups = [.. folders.Select(c => c.Group).Distinct().Order(StringComparer.Ordinal)];
    }

    /// <summary>The folder, zip file or array file the images were read from.</summary>
    public string Source { get; }

    /// <summary>How the images were decoded: size, channels, polarity.</summary>
    public ImageDecodeOptions Options { get; }

    /// <summary>Whether the images came from the decoded-image cache.</summary>
    public ImageCacheOutcome Cache { get; }

    /// <summary>The number of examples (images × rotations).</summary>
    public int Count => _exampleImage.Length;

    /// <summary>The number of distinct decoded images (each stored once, whatever the rotations).</summary>
    public int ImageCount => _files.Length;

    /// <inheritdoc/>
    public IReadOnlyList<int> Classes => _classes;

    /// <summary>What each class is (group, folder name, rotation), indexed by class id.</summary>
    public IReadOnlyList<ImageClass> ClassInfo => _classInfo;

    /// <summary>The distinct groups (Omniglot's alphabets), in ordinal order; one empty group for a flat image folder.</summary>
    public IReadOnlyList<string> Groups { get; }

    /// <inheritdoc/>
    public IReadOnlyList<int> IndicesOf(int classId)
    {
        if ((uint)classId >= (uint)_byClass.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(classId), classId, $"ImageDataset: class ids are 0..{_byClass.Length - 1}.");
        }

        return _byClass[classId];
    }

    /// <summary>The class id of example <paramref name="index"/>.</summary>
    public int LabelOf(int index) => _exampleClass[CheckIndex(index, nameof(index))];

    /// <summary>
    /// The image file example <paramref name="index"/> was decoded from (a path, or "archive.zip!/entry"), or "file#i"
    /// for image i of an array file.
    /// </summary>
    public string FileOf(int index) => _files[_exampleImage[CheckIndex(index, nameof(index))]];

    /// <inheritdoc/>
    /// <returns>A float32 tensor [n, C, H, W], rotated examples turned counter-clockwise by their class's rotation.</returns>
    public Tensor GetInputs(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        int channels = (int)Options.Channels;
        int size = Options.PixelsPerImage;
        var result = Tensor.Zeros([indices.Count, channels, Options.Height, Options.Width], DType.Float32);
        var destination = result.AsSpan<float>();
        for (int n = 0; n < indices.Count; n++)
        {
            int index = CheckIndex(indices[n], nameof(indices));
            var image = _pixels.AsSpan(_exampleImage[index] * size, size);
            int turns = _classInfo[_exampleClass[index]].Rotation / 90;
            if (turns == 0)
            {
                image.CopyTo(destination.Slice(n * size, size));
            }
            else
            {
                QuarterTurn.Rotate(image, destination.Slice(n * size, size), channels, Options.Height, turns);
            }
        }

        return result;
    }

    private int CheckIndex(int index, string name)
        => (uint)index < (uint)_exampleImage.Length ? index
            : throw new ArgumentOutOfRangeException(name, index, $"ImageDataset: example indices are 0..{_exampleImage.Length - 1}.");
}
