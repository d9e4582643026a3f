using System.Globalization;
using MetaLearn.Data.Images;
using MetaLearn.Tests.Shared;

namespace MetaLearn.Tests.Data.Images;

/// <summary>CUB-200-2011 through its lists: 200 classes of one 2 × 3 PNG each, two for classes 1, 101 and 151.</summary>
public class Cub200Tests(Cub200Tests.Release release) : IClassFixture<Cub200Tests.Release>
{
    private static readonly ImageDecodeOptions Native = new(2, 3, ImageChannels.Rgb);

    /// <summary>Writes the release; image ids are listed in reverse so that id order, not line order, is checked.</summary>
    private static void WriteRelease(string root)
    {
        var classes = Enumerable.Range(1, 200).Select(id => FormattableString.Invariant($"{id} {id:000}.Bird_{id}")).ToList();
        var images = new List<(int Id, int Class, string Path)>();
        for (int id = 1; id <= 200; id++)
        {
            images.Add((images.Count + 1, id, FormattableString.Invariant($"{id:000}.Bird_{id}/bird_{images.Count + 1}.png")));
            if (id is 1 or 101 or 151)
            {
                images.Add((images.Count + 1, id, FormattableString.Invariant($"{id:000}.Bird_{id}/bird_{images.Count + 1}.png")));
            }
        }

        foreach (var image in images)
        {
            TestPng.Write(Path.Combine(root, "images", image.Path), ColourImages.Png(image.Id, 2, 3));
        }

        images.Reverse();
        File.WriteAllLines(Path.Combine(root, "classes.txt"), classes);
        File.WriteAllLines(Path.Combine(root, "images.txt"), images.Select(i => string.Create(CultureInfo.InvariantCulture, $"{i.Id} {i.Path}")));
        File.WriteAllLines(Path.Combine(root, "image_class_labels.txt"), images.Select(i => string.Create(CultureInfo.InvariantCulture, $"{i.Id} {i.Class}")));
    }

    [Fact]
    public void SplitsTheClassesByIdAndReadsImagesInIdOrder()
    {
        var root = release.Root;
        var train = Cub200.Load(root, FewShotSplit.Train, Native);
        Assert.Equal(100, train.Classes.Count);
        Assert.Equal(101, train.Count);
        Assert.Equal("001.Bird_1", train.ClassInfo[0].Name);
        Assert.Equal("100.Bird_100", train.ClassInfo[99].Name);
        Assert.Equal(ColourImages.Expected([1, 2], 2, 3), train.GetInputs(train.IndicesOf(0)).ToArray());
        Assert.Equal(ColourImages.Expected([3], 2, 3), train.GetInputs(train.IndicesOf(1)).ToArray());

        var validation = Cub200.Load(root, FewShotSplit.Validation, Native);
        Assert.Equal(50, validation.Classes.Count);
        Assert.Equal("101.Bird_101", validation.ClassInfo[0].Name);
        Assert.Equal(2, validation.IndicesOf(0).Count);
        var test = Cub200.Load(root, FewShotSplit.Test, Native);
        Assert.Equal(["151.Bird_151", "200.Bird_200"], new[] { test.ClassInfo[0].Name, test.ClassInfo[49].Name });
        Assert.EndsWith(Path.Combine("images", "200.Bird_200", "bird_203.png"), test.FileOf(test.Count - 1), StringComparison.Ordinal);
    }

    [Fact]
    public void KeepsADecodedImageCache()
    {
        using var scratch = new ScratchFolder();
        var cache = Path.Combine(scratch.Root, "cub-test.cache");
        var first = Cub200.Load(release.Root, FewShotSplit.Test, Native, cache);
        var second = Cub200.Load(release.Root, FewShotSplit.Test, Native, cache);
        Assert.Equal((ImageCacheOutcome.Created, ImageCacheOutcome.Hit), (first.Cache, second.Cache));
        var all = Enumerable.Range(0, first.Count).ToArray();
        Assert.Equal(first.GetInputs(all).ToArray(), second.GetInputs(all).ToArray());
    }

    [Fact]
    public void AMissingListAMissingImageAndTooFewClassesAreNamed()
    {
        using var scratch = new ScratchFolder();
        var missing = Assert.Throws<FileNotFoundException>(() => Cub200.Load(scratch.Root, FewShotSplit.Train));
        Assert.Contains("'classes.txt'", missing.Message, StringComparison.Ordinal);
        Assert.Contains(scratch.Root, missing.Message, StringComparison.Ordinal);
        Assert.Contains("https://www.vision.caltech.edu/datasets/cub_200_2011/", missing.Message, StringComparison.Ordinal);

        WriteRelease(scratch.Root);
        var gone = Path.Combine(scratch.Root, "images", "120.Bird_120", "bird_122.png");
        File.Delete(gone);
        var image = Assert.Throws<InvalidDataException>(() => Cub200.Load(scratch.Root, FewShotSplit.Validation));
        Assert.Contains(gone, image.Message, StringComparison.Ordinal);
        Assert.Equal(100, Cub200.Load(scratch.Root, FewShotSplit.Train, Native).Classes.Count);

        File.WriteAllLines(Path.Combine(scratch.Root, "classes.txt"), Enumerable.Range(1, 199).Select(id => $"{id} bird"));
        Assert.Contains("199 classes", Assert.Throws<InvalidDataException>(() => Cub200.Load(scratch.Root, FewShotSplit.Train)).Message, StringComparison.Ordinal);
        File.WriteAllLines(Path.Combine(scratch.Root, "classes.txt"), ["1 a", "one b"]);
        Assert.Contains("line 2", Assert.Throws<InvalidDataException>(() => Cub200.Load(scratch.Root, FewShotSplit.Train)).Message, StringComparison.Ordinal);
    }

    /// <summary>One release shared by the tests that only read it.</summary>
    public sealed class Release : IDisposable
    {
        private readonly ScratchFolder _scratch = new();

        public Release() => WriteRelease(Root);

        public string Root => _scratch.Root;

        public void Dispose() => _scratch.Dispose();
    }
}
