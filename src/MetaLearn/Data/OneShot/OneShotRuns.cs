using System.Text;
using MetaLearn.Data.Images;
using MetaLearn.Tensors;

namespace MetaLearn.Data.OneShot;

/// <summary>
/// Reads the one-shot runs layout of Lake et al. (2015), from a folder or a zip (at its top or under one top folder):
/// "runNN/training/classNN.png" (one image per class), "runNN/test/itemNN.png" (the queries) and
/// "runNN/class_labels.txt", one line per query "runNN/test/itemNN.png runNN/training/classNN.png", paths relative to
/// the folder that holds the runs.
/// </summary>
public static class OneShotRuns
{
    private const string LabelsFile = "class_labels.txt";

    /// <summary>Reads and decodes every run at <paramref name="path"/>, in ordinal order of the run folders.</summary>
    /// <param name="path">A folder or zip file holding the run folders.</param>
    /// <param name="options">How to decode the images; Omniglot's 28 × 28, ink 1, when null.</param>
    /// <returns>The runs; training images in ordinal order of their files, test images in the order of the answer key.</returns>
    /// <exception cref="FileNotFoundException">Nothing at <paramref name="path"/>, or an image the answer key names is missing.</exception>
    /// <exception cref="InvalidDataException">No runs, a malformed answer key, or an image that does not decode; the message names the file.</exception>
    public static IReadOnlyList<OneShotRun> Load(string path, ImageDecodeOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= ImageDecodeOptions.Omniglot();
        using var tree = FileTree.Open(path, nameof(OneShotRuns));
        string root = Root(tree);
        var runs = tree.Files.Where(f => f.StartsWith(root, StringComparison.Ordinal) && f.EndsWith("/" + LabelsFile, StringComparison.Ordinal))
            .Select(f => ReadKey(tree, root, f))
            .ToArray();

        var files = runs.SelectMany(r => r.Training.Concat(r.Test)).ToArray();
        int size = options.PixelsPerImage;
        var pixels = new float[(long)files.Length * size];
        ImageDatasetLoader.Decode(tree, [.. files.Select(f => root + f)], options, pixels);

        var result = new OneShotRun[runs.Length];
        int offset = 0;
        for (int r = 0; r < runs.Length; r++)
        {
            var key = runs[r];
            var training = Images(pixels, ref offset, key.Training.Length, options);
            var test = Images(pixels, ref offset, key.Test.Length, options);
            result[r] = new OneShotRun(key.Name, key.Training, training, key.Test, test, key.Answers);
        }

        return result;
    }

    /// <summary>"" when the run folders are at the top of the tree, "top/" when they are under one top folder.</summary>
    private static string Root(FileTree tree)
    {
        var keys = tree.Files.Where(f => f == LabelsFile || f.EndsWith("/" + LabelsFile, StringComparison.Ordinal)).ToArray();
        if (keys.Length == 0)
        {
            throw new InvalidDataException($"OneShotRuns: '{tree.Location}' has no runNN/{LabelsFile}; expected the layout "
                + $"runNN/training/classNN.png, runNN/test/itemNN.png, runNN/{LabelsFile}.");
        }

        int depth = keys[0].Count(c => c == '/');
        var root = depth == 2 ? keys[0][..(keys[0].IndexOf('/', StringComparison.Ordinal) + 1)] : string.Empty;
        foreach (var key in keys)
        {
            if ((depth != 1 && depth != 2) || key.Count(c => c == '/') != depth || !key.StartsWith(root, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"OneShotRuns: the answer key '{tree.Describe(key)}' is not at runNN/{LabelsFile} of "
                    + $"'{tree.Location}' (at its top or under one top folder).");
            }
        }

        return root;
    }

    /// <summary>Parses one run's answer key; paths in the result are relative to <paramref name="root"/>.</summary>
    private static RunKey ReadKey(FileTree tree, string root, string keyFile)
    {
        string where = tree.Describe(keyFile);
        string run = keyFile[root.Length..keyFile.LastIndexOf('/')];
        string trainingFolder = root + run + "/training/";
        var training = tree.Files.Where(f => f.StartsWith(trainingFolder, StringComparison.Ordinal)
            && ImageDecoder.IsImage(f)).Select(f => f[root.Length..]).ToArray();
        if (training.Length == 0)
        {
            throw new InvalidDataException($"OneShotRuns: the run '{tree.Describe(root + run)}' has no images in its training folder.");
        }

        var pairs = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var lines = Encoding.UTF8.GetString(tree.ReadAllBytes(keyFile)).Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            var fields = lines[n].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0)
            {
                continue;
            }

            if (fields.Length != 2)
            {
                throw new InvalidDataException($"OneShotRuns: line {n + 1} of '{where}' has {fields.Length} fields; expected \"<test image> "
                    + $"<training image>\".");
            }

            string test = Normalize(fields[0]);
            int answer = Array.IndexOf(training, Normalize(fields[1]));
            if (answer < 0)
            {
                throw new InvalidDataException($"OneShotRuns: line {n + 1} of '{where}' names the training image '{fields[1]}', which is not an "
                    + $"image in '{tree.Describe(trainingFolder)}'.");
            }

            if (!tree.Contains(root + test))
            {
                throw new FileNotFoundException($"OneShotRuns: line {n + 1} of '{where}' names the test image '{fields[0]}', which does not exist.",
                    tree.Describe(root + test));
            }

            if (!pairs.TryAdd(test, answer))
            {
                throw new InvalidDataException($"OneShotRuns: line {n + 1} of '{where}' names the test image '{fields[0]}' a second time.");
            }
        }

        if (pairs.Count == 0)
        {
            throw new InvalidDataException($"OneShotRuns: the answer key '{where}' names no test image.");
        }

        return new RunKey(run, training, [.. pairs.Keys], [.. pairs.Values]);
    }

    private static string Normalize(string path) => path.Replace('\\', '/');

    private static Tensor Images(float[] pixels, ref int offset, int count, ImageDecodeOptions options)
    {
        int size = options.PixelsPerImage;
        var images = Tensor.FromSpan(pixels.AsSpan(offset * size, count * size), [count, (int)options.Channels, options.Height, options.Width]);
        offset += count;
        return images;
    }

    private sealed record RunKey(string Name, string[] Training, string[] Test, int[] Answers);
}
