using MetaLearn.Data;
using MetaLearn.Data.Images;
using MetaLearn.Tensors;
using MetaLearn.Tests.Data.Numpy;
using MetaLearn.Tests.Shared;

namespace MetaLearn.Tests.Data.Images;

public class MiniImageNetTests
{
    private static readonly ImageDecodeOptions Native = new(4, 4, ImageChannels.Rgb);

    /// <summary>Six 4 × 4 images; class "n03" holds images 0 and 3, "n01" 1 and 4, "n02" 2 and 5.</summary>
    private static void WritePickle(string path, PythonPickle python, TestArray? images = null, int outOfRange = -1)
    {
        var root = new Dictionary<string, object?>
        {
            ["image_data"] = images ?? TestArray.UInt8([6, 4, 4, 3], ColourImages.Hwc(6, 4, 4)),
            ["class_dict"] = new Dictionary<string, object?>
            {
                ["n03"] = new List<object?> { 0, 3 },
                ["n01"] = new List<object?> { 1, outOfRange < 0 ? 4 : outOfRange },
                ["n02"] = new List<object?> { 2, 5 },
            },
        };
        File.WriteAllBytes(path, PickleWriter.Write(root, python));
    }

    [Theory]
    [InlineData(PythonPickle.Python3Protocol4)]
    [InlineData(PythonPickle.Python2)]
    public void ThePickledReleaseGivesItsClassesAndExactPixels(PythonPickle python)
    {
        using var scratch = new ScratchFolder();
        WritePickle(scratch.PathOf("mini-imagenet-cache-val.pkl"), python);

        var dataset = MiniImageNet.Load(scratch.Root, FewShotSplit.Validation, Native);
        Assert.Equal(6, dataset.Count);
        Assert.Equal(["n01", "n02", "n03"], dataset.ClassInfo.Select(c => c.Name));
        Assert.Equal(ColourImages.Expected([1, 4], 4, 4), dataset.GetInputs(dataset.IndicesOf(0)).ToArray());
        Assert.Equal(ColourImages.Expected([0, 3], 4, 4), dataset.GetInputs(dataset.IndicesOf(2)).ToArray());
        Assert.EndsWith("mini-imagenet-cache-val.pkl#3", dataset.FileOf(dataset.IndicesOf(2)[1]), StringComparison.Ordinal);
        Assert.Equal(2, dataset.LabelOf(dataset.IndicesOf(2)[1]));

        var task = new FewShotSampler(dataset, ways: 3, shots: 1, queries: 1).Sample(new Generator(5));
        Assert.Equal([3, 3, 4, 4], task.Support.Inputs.Shape.ToArray());
    }

    [Fact]
    public void GreyAndResizedImagesFollowTheOptions()
    {
        using var scratch = new ScratchFolder();
        WritePickle(scratch.PathOf("mini-imagenet-cache-train.pkl"), PythonPickle.Python3Protocol4);

        var grey = MiniImageNet.Load(scratch.Root, FewShotSplit.Train, new ImageDecodeOptions(2, 2)).GetInputs([0]).ToArray();
        // Class n01's first image is image 1; its top-left 2 × 2 block averaged, each pixel's grey (77 R + 150 G + 29 B) >> 8.
        double sum = 0;
        foreach (var (y, x) in new[] { (0, 0), (0, 1), (1, 0), (1, 1) })
        {
            sum += ((77 * ColourImages.At(1, y, x, 0)) + (150 * ColourImages.At(1, y, x, 1)) + (29 * ColourImages.At(1, y, x, 2))) >> 8;
        }

        Assert.Equal(4, grey.Length);
        Assert.Equal(sum / 4 / 255, grey[0], 5);
    }

    [Fact]
    public void TheNpzReleaseGroupsImagesByLabel()
    {
        using var scratch = new ScratchFolder();
        NpyWriter.Npz(scratch.PathOf("mini-imagenet-test.npz"), new Dictionary<string, TestArray>
        {
            ["images"] = TestArray.UInt8([6, 4, 4, 3], ColourImages.Hwc(6, 4, 4)),
            ["labels"] = TestArray.Int64(10, 2, 10, 7, 2, 7),
        });

        var dataset = MiniImageNet.Load(scratch.Root, FewShotSplit.Test, Native);
        Assert.Equal(["2", "7", "10"], dataset.ClassInfo.Select(c => c.Name));
        Assert.Equal(ColourImages.Expected([1, 4], 4, 4), dataset.GetInputs(dataset.IndicesOf(0)).ToArray());
        Assert.Equal(ColourImages.Expected([0, 2], 4, 4), dataset.GetInputs(dataset.IndicesOf(2)).ToArray());
    }

    [Fact]
    public void TheCsvReleaseReadsTheImagesItNamesAndKeepsACache()
    {
        using var scratch = new ScratchFolder();
        File.WriteAllLines(scratch.PathOf("train.csv"), ["filename,label", "b0.png,n02", "a0.png,n01", "b1.png,n02", "", "a1.png,n01"]);
        string[] names = ["a0", "a1", "b0", "b1"];
        for (int i = 0; i < names.Length; i++)
        {
            TestPng.Write(scratch.PathOf($"images/{names[i]}.png"), ColourImages.Png(i, 4, 4));
        }

        var cache = Path.Combine(scratch.Root, "train.cache");
        var dataset = MiniImageNet.Load(scratch.Root, FewShotSplit.Train, Native, cache);
        Assert.Equal(["n01", "n02"], dataset.ClassInfo.Select(c => c.Name));
        Assert.Equal(ColourImages.Expected([0, 1, 2, 3], 4, 4), dataset.GetInputs([0, 1, 2, 3]).ToArray());
        Assert.Equal(ImageCacheOutcome.Created, dataset.Cache);
        Assert.Equal(ImageCacheOutcome.Hit, MiniImageNet.Load(scratch.Root, FewShotSplit.Train, Native, cache).Cache);

        // The pickle is preferred when both are there.
        WritePickle(scratch.PathOf("mini-imagenet-cache-train.pkl"), PythonPickle.Python3Protocol4);
        Assert.EndsWith(".pkl", MiniImageNet.Load(scratch.Root, FewShotSplit.Train, Native).Source, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingReleaseSaysWhatWhereAndWhereItIsPublished()
    {
        using var scratch = new ScratchFolder();
        var error = Assert.Throws<FileNotFoundException>(() => MiniImageNet.Load(scratch.Root, FewShotSplit.Validation));
        Assert.Contains("'mini-imagenet-cache-val.pkl', 'mini-imagenet-val.npz', or 'val.csv'", error.Message, StringComparison.Ordinal);
        Assert.Contains(scratch.Root, error.Message, StringComparison.Ordinal);
        Assert.Contains("https://github.com/twitter/meta-learning-lstm", error.Message, StringComparison.Ordinal);

        NpyWriter.Npz(scratch.PathOf("mini-imagenet-train.npz"), new Dictionary<string, TestArray>
        {
            ["images"] = TestArray.UInt8([0, 4, 4, 3], []),
            ["labels"] = TestArray.Int64(),
        });
        Assert.Contains("holds no images", Assert.Throws<InvalidDataException>(() => MiniImageNet.Load(scratch.Root, FewShotSplit.Train)).Message,
            StringComparison.Ordinal);

        var nowhere = Path.Combine(scratch.Root, "no-such-folder");
        Assert.Contains(nowhere, Assert.Throws<FileNotFoundException>(() => MiniImageNet.Load(nowhere, FewShotSplit.Train)).Message, StringComparison.Ordinal);

        File.WriteAllLines(scratch.PathOf("test.csv"), ["filename,label", "x.jpg,n01"]);
        Assert.Contains("'images'", Assert.Throws<FileNotFoundException>(() => MiniImageNet.Load(scratch.Root, FewShotSplit.Test)).Message,
            StringComparison.Ordinal);
        Directory.CreateDirectory(scratch.PathOf("images/n01"));
        var missingImage = Assert.Throws<InvalidDataException>(() => MiniImageNet.Load(scratch.Root, FewShotSplit.Test));
        Assert.Contains("line 2", missingImage.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine("images", "x.jpg"), missingImage.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AWrongShapeACorruptPickleAndABadIndexAreNamed()
    {
        using var scratch = new ScratchFolder();
        var file = scratch.PathOf("mini-imagenet-cache-train.pkl");
        WritePickle(file, PythonPickle.Python3Protocol4, TestArray.UInt8([6, 4, 12], ColourImages.Hwc(6, 4, 4)));
        var shape = Assert.Throws<InvalidDataException>(() => MiniImageNet.Load(scratch.Root, FewShotSplit.Train));
        Assert.Contains("'image_data'", shape.Message, StringComparison.Ordinal);
        Assert.Contains("|u1 [6, 4, 12]; expected uint8 [N, height, width, 3]", shape.Message, StringComparison.Ordinal);

        WritePickle(file, PythonPickle.Python3Protocol4, outOfRange: 6);
        Assert.Contains("class 'n01'", Assert.Throws<InvalidDataException>(() => MiniImageNet.Load(scratch.Root, FewShotSplit.Train)).Message,
            StringComparison.Ordinal);

        WritePickle(file, PythonPickle.Python3Protocol4);
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..(bytes.Length / 2)]);
        var corrupt = Assert.Throws<InvalidDataException>(() => MiniImageNet.Load(scratch.Root, FewShotSplit.Train));
        Assert.StartsWith(file, corrupt.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", corrupt.Message, StringComparison.Ordinal);
    }
}
