using System.IO.Compression;
using MetaLearn.Data.Images;
using MetaLearn.Tests.Shared;

namespace MetaLearn.Tests.Data.Images;

/// <summary>Bad input to the image loaders: each is a clear exception naming the file, and no dataset.</summary>
public class ImageLoadingBadInputTests
{
    private static readonly ImageDecodeOptions Options = new(4, 4);

    private static string GoodFolder(ScratchFolder scratch)
    {
        var root = Path.Combine(scratch.Root, "data");
        foreach (var name in new[] { "a/1.png", "a/2.png", "b/1.png" })
        {
            TestPng.Write(Path.Combine(root, name), TestPng.Gray(2, 2, 0, 64, 128, 255));
        }

        return root;
    }

    [Fact]
    public void AWrongPathIsNamed()
    {
        var missing = Path.Combine(Path.GetTempPath(), "metalearn-no-such-" + Guid.NewGuid().ToString("N"));
        var error = Assert.Throws<FileNotFoundException>(() => ImageFolder.Load(missing, Options));
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Throws<FileNotFoundException>(() => Omniglot.Load(missing));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("truncated")]
    [InlineData("empty")]
    public void ACorruptImageIsNamed(string damage)
    {
        using var scratch = new ScratchFolder();
        var root = GoodFolder(scratch);
        var bad = Path.Combine(root, "b", "2.png");
        var png = TestPng.Gray(2, 2, 0, 64, 128, 255);
        File.WriteAllBytes(bad, damage switch
        {
            "garbage" => "this is not a PNG"u8.ToArray(),
            "truncated" => png[..(png.Length / 2)],
            _ => [],
        });

        var error = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(root, Options));
        Assert.Contains(bad, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ACorruptImageInAZipIsNamedAndNoCacheIsWritten()
    {
        using var scratch = new ScratchFolder();
        var root = GoodFolder(scratch);
        File.WriteAllBytes(Path.Combine(root, "a", "3.png"), [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);
        var zip = Path.Combine(scratch.Root, "data.zip");
        ZipFile.CreateFromDirectory(root, zip);
        var cache = Path.Combine(scratch.Root, "data.cache");

        var error = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(zip, Options, cache));
        Assert.Contains("data.zip!/a/3.png", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(cache));
    }

    [Fact]
    public void AnEmptyClassFolderIsNamed()
    {
        using var scratch = new ScratchFolder();
        var root = GoodFolder(scratch);
        var empty = Path.Combine(root, "c");
        Directory.CreateDirectory(empty);
        File.WriteAllText(Path.Combine(empty, "readme.txt"), "no images here");

        var error = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(root, Options));
        Assert.Contains(empty, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyAlphabetOrCharacterFolderIsNamed()
    {
        using var scratch = new ScratchFolder();
        var root = Path.Combine(scratch.Root, "images_background");
        TestPng.Write(Path.Combine(root, "Latin", "character01", "0001_01.png"), TestPng.Gray(2, 2, 0, 0, 0, 0));
        var character = Path.Combine(root, "Latin", "character02");
        Directory.CreateDirectory(character);
        var error = Assert.Throws<InvalidDataException>(() => Omniglot.Load(root));
        Assert.Contains(character, error.Message, StringComparison.Ordinal);

        Directory.Delete(character);
        var alphabet = Path.Combine(root, "Greek");
        Directory.CreateDirectory(alphabet);
        error = Assert.Throws<InvalidDataException>(() => Omniglot.Load(root));
        Assert.Contains(alphabet, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AZipWithoutTheLayoutIsRefused()
    {
        using var scratch = new ScratchFolder();
        var flat = Path.Combine(scratch.Root, "flat");
        TestPng.Write(Path.Combine(flat, "a.png"), TestPng.Gray(1, 1, 0));
        TestPng.Write(Path.Combine(flat, "b.png"), TestPng.Gray(1, 1, 0));
        var zip = Path.Combine(scratch.Root, "flat.zip");
        ZipFile.CreateFromDirectory(flat, zip);

        var error = Assert.Throws<InvalidDataException>(() => Omniglot.Load(zip));
        Assert.Contains("flat.zip!/a.png", error.Message, StringComparison.Ordinal);
        Assert.Contains("<group>/<class>/<image>", error.Message, StringComparison.Ordinal);

        var text = Path.Combine(scratch.Root, "text.zip");
        File.WriteAllText(Path.Combine(flat, "notes.txt"), "x");
        File.Delete(Path.Combine(flat, "a.png"));
        File.Delete(Path.Combine(flat, "b.png"));
        ZipFile.CreateFromDirectory(flat, text);
        error = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(text, Options));
        Assert.Contains("no image files", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileThatIsNotAZipIsNamed()
    {
        using var scratch = new ScratchFolder();
        var path = Path.Combine(scratch.Root, "images_background.zip");
        File.WriteAllText(path, "not a zip");
        var error = Assert.Throws<InvalidDataException>(() => Omniglot.Load(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAlphabetThatIsNotThereIsNamed()
    {
        var zip = OmniglotData.FixtureZipPath();
        var error = Assert.Throws<ArgumentException>(() => Omniglot.Load(zip, new OmniglotOptions { Alphabets = ["Latin", "Klingon"] }));
        Assert.Contains("Klingon", error.Message, StringComparison.Ordinal);
    }
}
