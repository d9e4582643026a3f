using System.IO.Compression;
using MetaLearn.Data;
using MetaLearn.Data.Images;
using MetaLearn.Tensors;
using MetaLearn.Tests.Shared;

namespace MetaLearn.Tests.Data.Images;

public class ImageFolderTests
{
    /// <summary>Three classes of 4×4 grayscale images; image k of class c has every pixel 10·(3c + k) + its index.</summary>
    private static void WriteClasses(string root)
    {
        string[] classes = ["ant", "bee", "cat"];
        for (int c = 0; c < classes.Length; c++)
        {
            for (int k = 0; k < 3; k++)
            {
                var pixels = Enumerable.Range(0, 16).Select(i => (byte)((10 * ((3 * c) + k)) + i)).ToArray();
                TestPng.Write(Path.Combine(root, classes[c], $"img{k}.png"), TestPng.Gray(4, 4, pixels));
            }
        }
    }

    [Fact]
    public void LoadsOneClassPerFolderWithExactPixels()
    {
        using var scratch = new ScratchFolder();
        WriteClasses(scratch.Root);
        File.WriteAllText(Path.Combine(scratch.Root, "cat", "notes.txt"), "not an image, ignored");
        var dataset = ImageFolder.Load(scratch.Root, new ImageDecodeOptions(4, 4));

        Assert.Equal(9, dataset.Count);
        Assert.Equal([0, 1, 2], dataset.Classes);
        Assert.Equal(["ant", "bee", "cat"], dataset.ClassInfo.Select(c => c.Name));
        Assert.All(dataset.ClassInfo, c => Assert.Equal((string.Empty, 0), (c.Group, c.Rotation)));
        Assert.Equal(ImageCacheOutcome.NotUsed, dataset.Cache);
        var images = dataset.GetInputs(dataset.IndicesOf(1));
        Assert.Equal([3, 1, 4, 4], images.Shape.ToArray());
        var values = images.ToArray();
        for (int k = 0; k < 3; k++)
        {
            for (int i = 0; i < 16; i++)
            {
                Assert.Equal(((10 * (3 + k)) + i) / 255f, values[(k * 16) + i], 6);
            }
        }

        Assert.EndsWith(Path.Combine("bee", "img0.png"), dataset.FileOf(dataset.IndicesOf(1)[0]), StringComparison.Ordinal);
        Assert.Equal(2, dataset.LabelOf(8));
    }

    [Fact]
    public void ResizesInvertsAndFeedsTheFewShotSampler()
    {
        using var scratch = new ScratchFolder();
        WriteClasses(scratch.Root);
        var dataset = ImageFolder.Load(scratch.Root, new ImageDecodeOptions(2, 2, invert: true));
        var first = dataset.GetInputs([0]).ToArray();
        // Image 0 of "ant": pixel i is i; the top-left 2×2 block holds 0, 1, 4, 5 (mean 2.5), inverted 1 − 2.5/255.
        Assert.Equal(1 - (2.5f / 255), first[0], 5);
        Assert.Equal(1 - (12.5f / 255), first[3], 5);

        var task = new FewShotSampler(dataset, ways: 2, shots: 1, queries: 2).Sample(new Generator(3));
        Assert.Equal([2, 1, 2, 2], task.Support.Inputs.Shape.ToArray());
        Assert.Equal([4, 1, 2, 2], task.Query.Inputs.Shape.ToArray());
    }

    [Fact]
    public void ReadsRgbChannelsInOrderAndConvertsToGray()
    {
        using var scratch = new ScratchFolder();
        TestPng.Write(Path.Combine(scratch.Root, "red", "a.png"), TestPng.Rgb(1, 2, 255, 0, 0, 255, 0, 0));
        TestPng.Write(Path.Combine(scratch.Root, "white", "a.png"), TestPng.Rgb(1, 2, 255, 255, 255, 255, 255, 255));

        var rgb = ImageFolder.Load(scratch.Root, new ImageDecodeOptions(1, 2, ImageChannels.Rgb));
        Assert.Equal([2, 3, 1, 2], rgb.GetInputs([0, 1]).Shape.ToArray());
        Assert.Equal([1f, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1], rgb.GetInputs([0, 1]).ToArray());

        var gray = ImageFolder.Load(scratch.Root, new ImageDecodeOptions(1, 2));
        // stb_image's luminance of pure red: (77 · 255) >> 8 = 76.
        Assert.Equal(76 / 255f, gray.GetInputs([0]).ToArray()[0], 6);
    }

    [Fact]
    public void AZipOfTheFolderGivesTheSameDataset()
    {
        using var scratch = new ScratchFolder();
        var folder = Path.Combine(scratch.Root, "animals");
        WriteClasses(folder);
        var zip = scratch.PathOf("animals.zip");
        ZipFile.CreateFromDirectory(folder, zip, CompressionLevel.Fastest, includeBaseDirectory: true);

        var options = new ImageDecodeOptions(3, 3);
        var fromFolder = ImageFolder.Load(folder, options);
        var fromZip = ImageFolder.Load(zip, options);
        Assert.Equal(fromFolder.ClassInfo, fromZip.ClassInfo);
        var all = Enumerable.Range(0, fromFolder.Count).ToArray();
        Assert.Equal(fromFolder.GetInputs(all).ToArray(), fromZip.GetInputs(all).ToArray());
        Assert.Contains("animals.zip!/animals/ant/img0.png", fromZip.FileOf(0), StringComparison.Ordinal);
    }
}
