using MetaLearn.Data.OneShot;
using MetaLearn.Tests.Data.Images;
using MetaLearn.Tests.Shared;

namespace MetaLearn.Tests.Data.OneShot;

/// <summary>Malformed runs: each is a clear exception naming the file.</summary>
public class OneShotRunsBadInputTests
{
    /// <summary>A 2-way run: two training images, two test images, and the answer key given.</summary>
    private static string WriteRun(ScratchFolder scratch, string key)
    {
        var root = Path.Combine(scratch.Root, "runs");
        var png = TestPng.Gray(2, 2, 0, 255, 255, 0);
        foreach (var file in new[] { "training/class01.png", "training/class02.png", "test/item01.png", "test/item02.png" })
        {
            TestPng.Write(Path.Combine(root, "run01", file), png);
        }

        File.WriteAllText(Path.Combine(root, "run01", "class_labels.txt"), key);
        return root;
    }

    [Fact]
    public void AWellFormedRunIsRead()
    {
        using var scratch = new ScratchFolder();
        var root = WriteRun(scratch, "run01/test/item01.png run01/training/class02.png\r\nrun01/test/item02.png  run01/training/class01.png\n\n");
        var run = Assert.Single(OneShotRuns.Load(root));
        Assert.Equal([1, 0], run.Answers);
        Assert.Equal(["run01/test/item01.png", "run01/test/item02.png"], run.TestFiles);
    }

    [Fact]
    public void AMissingTestImageIsNamed()
    {
        using var scratch = new ScratchFolder();
        var root = WriteRun(scratch, "run01/test/item03.png run01/training/class01.png\n");
        var error = Assert.Throws<FileNotFoundException>(() => OneShotRuns.Load(root));
        Assert.Contains("item03.png", error.Message, StringComparison.Ordinal);
        Assert.Contains("class_labels.txt", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("run01/test/item01.png\n", "line 1")]
    [InlineData("run01/test/item01.png run01/training/class01.png\nrun01/test/item02.png run01/training/class09.png\n", "class09.png")]
    [InlineData("run01/test/item01.png run01/training/class01.png\nrun01/test/item01.png run01/training/class02.png\n", "second time")]
    [InlineData("\n", "no test image")]
    public void AMalformedAnswerKeyIsNamed(string key, string expected)
    {
        using var scratch = new ScratchFolder();
        var root = WriteRun(scratch, key);
        var error = Assert.Throws<InvalidDataException>(() => OneShotRuns.Load(root));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine("run01", "class_labels.txt"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ACorruptImageIsNamed()
    {
        using var scratch = new ScratchFolder();
        var root = WriteRun(scratch, "run01/test/item01.png run01/training/class01.png\n");
        var bad = Path.Combine(root, "run01", "test", "item01.png");
        File.WriteAllText(bad, "broken");
        var error = Assert.Throws<InvalidDataException>(() => OneShotRuns.Load(root));
        Assert.Contains(bad, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFolderWithoutRunsIsRefused()
    {
        using var scratch = new ScratchFolder();
        TestPng.Write(Path.Combine(scratch.Root, "a", "b.png"), TestPng.Gray(1, 1, 0));
        var error = Assert.Throws<InvalidDataException>(() => OneShotRuns.Load(scratch.Root));
        Assert.Contains("class_labels.txt", error.Message, StringComparison.Ordinal);
    }
}
