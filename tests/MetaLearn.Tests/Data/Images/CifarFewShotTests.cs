using MetaLearn.Data.Images;
using MetaLearn.Tests.Data.Numpy;
using MetaLearn.Tests.Shared;

namespace MetaLearn.Tests.Data.Images;

/// <summary>CIFAR-FS and FC100 over a CIFAR-100 python release of one image per class in each of <c>train</c> and <c>test</c>.</summary>
public class CifarFewShotTests
{
    /// <summary>CIFAR-100's superclass of each fine label (its <c>coarse_labels</c>), fine labels in order.</summary>
    private static readonly int[] CoarseOfFine =
    [
        4, 1, 14, 8, 0, 6, 7, 7, 18, 3, 3, 14, 9, 18, 7, 11, 3, 9, 7, 11, 6, 11, 5, 10, 7, 6, 13, 15, 3, 15, 0, 11, 1, 10, 12, 14, 16, 9, 11, 5,
        5, 19, 8, 8, 15, 13, 14, 17, 18, 10, 16, 4, 17, 4, 2, 0, 17, 4, 19, 17, 10, 3, 2, 12, 12, 16, 12, 1, 9, 19, 2, 10, 0, 1, 16, 12, 9, 13,
        15, 13, 16, 19, 2, 4, 6, 19, 5, 5, 8, 19, 18, 1, 2, 15, 6, 0, 17, 8, 14, 13,
    ];

    private static readonly ImageDecodeOptions Native = new(32, 32, ImageChannels.Rgb);

    /// <summary>The byte of a row's pixel: rows are [R plane, G plane, B plane] of 32 × 32, row r of train is image r, of test image 100 + r.</summary>
    private static byte Value(int image, int offset) => (byte)((image * 31) + (offset * 7) + (offset / 1024));

    /// <summary>Writes cifar-100-python/{train,test}: row r of each is fine class (99 − r) (so the file order is not the label order).</summary>
    private static string WriteRelease(ScratchFolder scratch, bool withTest = true, int columns = 3072)
    {
        foreach (var (part, first) in new[] { ("train", 0), ("test", 100) })
        {
            if (part == "test" && !withTest)
            {
                continue;
            }

            var data = new byte[100 * columns];
            for (int row = 0; row < 100; row++)
            {
                for (int k = 0; k < columns; k++)
                {
                    data[(row * columns) + k] = Value(first + row, k);
                }
            }

            var fine = Enumerable.Range(0, 100).Select(row => (object?)(99 - row)).ToList();
            var root = new Dictionary<string, object?>
            {
                ["filenames"] = new List<object?>(Enumerable.Range(0, 100).Select(row => (object?)$"image_{row}.png")),
                ["batch_label"] = $"{part}ing batch 1 of 1",
                ["fine_labels"] = fine,
                ["coarse_labels"] = fine.Select(f => (object?)CoarseOfFine[(int)f!]).ToList(),
                ["data"] = TestArray.UInt8([100, columns], data),
            };
            File.WriteAllBytes(scratch.PathOf($"cifar-100-python/{part}"), PickleWriter.Write(root, PythonPickle.Python2));
        }

        return Path.Combine(scratch.Root, "cifar-100-python");
    }

    [Fact]
    public void CifarFSSplitsTheHundredClassesSixtyFourSixteenTwenty()
    {
        using var scratch = new ScratchFolder();
        var release = WriteRelease(scratch);
        var seen = new HashSet<string>();
        foreach (var (split, count) in new[] { (FewShotSplit.Train, 64), (FewShotSplit.Validation, 16), (FewShotSplit.Test, 20) })
        {
            var dataset = CifarFS.Load(release, split, Native);
            Assert.Equal(count, dataset.Classes.Count);
            Assert.Equal(2 * count, dataset.Count);
            Assert.Equal(CifarFS.ClassNames(split).Order(StringComparer.Ordinal), dataset.ClassInfo.Select(c => c.Name));
            Assert.All(dataset.ClassInfo, c => Assert.True(seen.Add(c.Name)));
        }

        Assert.Equal(100, seen.Count);
        var test = CifarFS.Load(scratch.Root, FewShotSplit.Test, Native);
        // "baby" is fine label 2, superclass "people"; its images are train row 97 then test row 97, as R, G, B planes.
        Assert.Equal("baby", test.ClassInfo[0].Name);
        Assert.Equal("people", test.ClassInfo[0].Group);
        var inputs = test.GetInputs(test.IndicesOf(0)).ToArray();
        Assert.Equal(2 * 3072, inputs.Length);
        Assert.Equal(Value(97, 0) / 255f, inputs[0]);
        Assert.Equal(Value(97, 2000) / 255f, inputs[2000]);
        Assert.Equal(Value(197, 3071) / 255f, inputs[3072 + 3071]);
        Assert.EndsWith(Path.Combine("cifar-100-python", "test") + "#97", test.FileOf(test.IndicesOf(0)[1]), StringComparison.Ordinal);
    }

    [Fact]
    public void FC100SplitsBySuperclass()
    {
        using var scratch = new ScratchFolder();
        var release = WriteRelease(scratch);
        foreach (var (split, superclasses) in new[] { (FewShotSplit.Train, 12), (FewShotSplit.Validation, 4), (FewShotSplit.Test, 4) })
        {
            var dataset = FC100.Load(release, split, Native);
            Assert.Equal(5 * superclasses, dataset.Classes.Count);
            Assert.Equal(FC100.Superclasses(split).Order(StringComparer.Ordinal), dataset.Groups);
        }

        Assert.Equal(20, Enum.GetValues<FewShotSplit>().SelectMany(FC100.Superclasses).Distinct().Count());
        var validation = FC100.Load(release, FewShotSplit.Validation, new ImageDecodeOptions(16, 16));
        Assert.Equal([1, 16, 16], validation.GetInputs([0]).Shape.ToArray()[1..]);
    }

    [Fact]
    public void AMissingFileOrAWrongShapeIsNamed()
    {
        using var scratch = new ScratchFolder();
        var release = WriteRelease(scratch, withTest: false);
        var missing = Assert.Throws<FileNotFoundException>(() => CifarFS.Load(release, FewShotSplit.Train));
        Assert.Contains("'test'", missing.Message, StringComparison.Ordinal);
        Assert.Contains(release, missing.Message, StringComparison.Ordinal);
        Assert.Contains("https://www.cs.toronto.edu/~kriz/cifar.html", missing.Message, StringComparison.Ordinal);

        using var other = new ScratchFolder();
        var wrong = WriteRelease(other, columns: 3000);
        var shape = Assert.Throws<InvalidDataException>(() => FC100.Load(wrong, FewShotSplit.Test));
        Assert.Contains("'data'", shape.Message, StringComparison.Ordinal);
        Assert.Contains("[100, 3000]", shape.Message, StringComparison.Ordinal);
        Assert.Contains("expected uint8 [N, 3072]", shape.Message, StringComparison.Ordinal);
    }
}
