using MetaLearn.Data.Images;
using MetaLearn.Tests.Data.Numpy;
using MetaLearn.Tests.Shared;

namespace MetaLearn.Tests.Data.Images;

public class TieredImageNetTests
{
    private static readonly ImageDecodeOptions Native = new(2, 3, ImageChannels.Rgb);

    /// <summary>Labels of six images: classes 1, 0, 2, 1, 0, 2; classes 0 and 2 are category 1 ("instrument"), class 1 category 0 ("animal").</summary>
    private static Dictionary<string, object?> Labels(int images = 6) => new()
    {
        ["label_specific"] = TestArray.Int64([.. new long[] { 1, 0, 2, 1, 0, 2 }.Take(images)]),
        ["label_general"] = TestArray.Int64([.. new long[] { 0, 1, 1, 0, 1, 1 }.Take(images)]),
        ["label_specific_str"] = new List<object?> { "n03000001", "n02000001", "n03000002" },
        ["label_general_str"] = new List<object?> { "animal", "instrument" },
    };

    [Theory]
    [InlineData(PythonPickle.Python2, true)]
    [InlineData(PythonPickle.Python3Protocol4, false)]
    public void ThePngPickleGivesClassesInCategoriesWithExactPixels(PythonPickle python, bool encodedAsArrays)
    {
        using var scratch = new ScratchFolder();
        File.WriteAllBytes(scratch.PathOf("train_labels.pkl"), PickleWriter.Write(Labels(), python));
        // Ren et al. wrote cv2.imencode's uint8 arrays; other copies hold bytes.
        var pngs = Enumerable.Range(0, 6).Select(i => ColourImages.Png(i, 2, 3))
            .Select(png => encodedAsArrays ? (object)TestArray.UInt8([png.Length, 1], png) : png).ToList<object?>();
        File.WriteAllBytes(scratch.PathOf("train_images_png.pkl"), PickleWriter.Write(pngs, python));

        var dataset = TieredImageNet.Load(scratch.Root, FewShotSplit.Train, Native);
        Assert.Equal(["n03000001", "n02000001", "n03000002"], dataset.ClassInfo.Select(c => c.Name));
        Assert.Equal(["instrument", "animal", "instrument"], dataset.ClassInfo.Select(c => c.Group));
        Assert.Equal(["animal", "instrument"], dataset.Groups);
        Assert.Equal([0, 2], dataset.ClassesOfGroups(["instrument"]));
        Assert.Equal(ColourImages.Expected([1, 4], 2, 3), dataset.GetInputs(dataset.IndicesOf(0)).ToArray());
        Assert.Equal(ColourImages.Expected([0, 3], 2, 3), dataset.GetInputs(dataset.IndicesOf(1)).ToArray());
        Assert.EndsWith("train_images_png.pkl#5", dataset.FileOf(5), StringComparison.Ordinal);
    }

    [Fact]
    public void TheNpzImagesAreReadWhenPresent()
    {
        using var scratch = new ScratchFolder();
        File.WriteAllBytes(scratch.PathOf("test_labels.pkl"), PickleWriter.Write(Labels(), PythonPickle.Python3Protocol2));
        NpyWriter.Npz(scratch.PathOf("test_images.npz"), new Dictionary<string, TestArray> { ["images"] = TestArray.UInt8([6, 2, 3, 3], ColourImages.Hwc(6, 2, 3)) });

        var dataset = TieredImageNet.Load(scratch.Root, FewShotSplit.Test, Native);
        Assert.Equal(6, dataset.Count);
        Assert.Equal(ColourImages.Expected([2, 5], 2, 3), dataset.GetInputs(dataset.IndicesOf(2)).ToArray());
    }

    [Fact]
    public void MissingFilesAndAMismatchedCountAreNamed()
    {
        using var scratch = new ScratchFolder();
        var noLabels = Assert.Throws<FileNotFoundException>(() => TieredImageNet.Load(scratch.Root, FewShotSplit.Validation));
        Assert.Contains("'val_labels.pkl'", noLabels.Message, StringComparison.Ordinal);
        Assert.Contains(scratch.Root, noLabels.Message, StringComparison.Ordinal);
        Assert.Contains("https://github.com/renmengye/few-shot-ssl-public", noLabels.Message, StringComparison.Ordinal);

        File.WriteAllBytes(scratch.PathOf("val_labels.pkl"), PickleWriter.Write(Labels(5), PythonPickle.Python3Protocol4));
        var noImages = Assert.Throws<FileNotFoundException>(() => TieredImageNet.Load(scratch.Root, FewShotSplit.Validation));
        Assert.Contains("'val_images.npz' or 'val_images_png.pkl'", noImages.Message, StringComparison.Ordinal);

        NpyWriter.Npz(scratch.PathOf("val_images.npz"), new Dictionary<string, TestArray> { ["images"] = TestArray.UInt8([6, 2, 3, 3], ColourImages.Hwc(6, 2, 3)) });
        var count = Assert.Throws<InvalidDataException>(() => TieredImageNet.Load(scratch.Root, FewShotSplit.Validation));
        Assert.Contains("holds 6 images but", count.Message, StringComparison.Ordinal);
        Assert.Contains("labels 5", count.Message, StringComparison.Ordinal);

        File.WriteAllBytes(scratch.PathOf("val_labels.pkl"), PickleWriter.Write(new Dictionary<string, object?> { ["labels"] = 1 }, PythonPickle.Python3Protocol4));
        Assert.Contains("no key 'label_specific'", Assert.Throws<InvalidDataException>(() => TieredImageNet.Load(scratch.Root, FewShotSplit.Validation)).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void APngThatDoesNotDecodeIsNamed()
    {
        using var scratch = new ScratchFolder();
        File.WriteAllBytes(scratch.PathOf("train_labels.pkl"), PickleWriter.Write(Labels(), PythonPickle.Python3Protocol4));
        var pngs = Enumerable.Range(0, 6).Select(i => i == 4 ? "not a png"u8.ToArray() : ColourImages.Png(i, 2, 3)).ToList<object?>();
        File.WriteAllBytes(scratch.PathOf("train_images_png.pkl"), PickleWriter.Write(pngs, PythonPickle.Python3Protocol4));
        var error = Assert.Throws<InvalidDataException>(() => TieredImageNet.Load(scratch.Root, FewShotSplit.Train, Native));
        Assert.Contains("train_images_png.pkl#4", error.Message, StringComparison.Ordinal);
    }
}
