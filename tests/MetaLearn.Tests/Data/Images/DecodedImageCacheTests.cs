using MetaLearn.Data.Images;
using MetaLearn.Tests.Shared;

namespace MetaLearn.Tests.Data.Images;

public class DecodedImageCacheTests
{
    /// <summary>Two classes of two 4×4 images with distinct pixels.</summary>
    private static string WriteFolder(ScratchFolder scratch)
    {
        var root = Path.Combine(scratch.Root, "images");
        for (int c = 0; c < 2; c++)
        {
            for (int k = 0; k < 2; k++)
            {
                var pixels = Enumerable.Range(0, 16).Select(i => (byte)((50 * c) + (20 * k) + i)).ToArray();
                TestPng.Write(Path.Combine(root, $"class{c}", $"{k}.png"), TestPng.Gray(4, 4, pixels));
            }
        }

        return root;
    }

    private static float[] All(ImageDataset dataset) => dataset.GetInputs([.. Enumerable.Range(0, dataset.Count)]).ToArray();

    [Fact]
    public void ASecondLoadReadsTheCacheAndGivesTheSamePixels()
    {
        using var scratch = new ScratchFolder();
        var root = WriteFolder(scratch);
        var cache = Path.Combine(scratch.Root, "cache", "images.bin");
        var options = new ImageDecodeOptions(3, 3);

        var first = ImageFolder.Load(root, options, cache);
        var second = ImageFolder.Load(root, options, cache);
        Assert.Equal(ImageCacheOutcome.Created, first.Cache);
        Assert.Equal(ImageCacheOutcome.Hit, second.Cache);
        Assert.Equal(All(first), All(second));
        Assert.Equal(DecodedImageCache.HeaderLength + (4 * 9 * sizeof(float)) + 32, new FileInfo(cache).Length);
        Assert.Equal(["images.bin"], Directory.GetFiles(Path.GetDirectoryName(cache)!).Select(Path.GetFileName));
    }

    [Fact]
    public void OtherOptionsInvalidateTheCache()
    {
        using var scratch = new ScratchFolder();
        var root = WriteFolder(scratch);
        var cache = Path.Combine(scratch.Root, "images.bin");
        ImageFolder.Load(root, new ImageDecodeOptions(3, 3), cache);

        var resized = ImageFolder.Load(root, new ImageDecodeOptions(2, 2), cache);
        Assert.Equal(ImageCacheOutcome.ReplacedStale, resized.Cache);
        Assert.Equal(All(ImageFolder.Load(root, new ImageDecodeOptions(2, 2))), All(resized));
        Assert.Equal(ImageCacheOutcome.Hit, ImageFolder.Load(root, new ImageDecodeOptions(2, 2), cache).Cache);

        Assert.Equal(ImageCacheOutcome.ReplacedStale, ImageFolder.Load(root, new ImageDecodeOptions(2, 2, ImageChannels.Rgb), cache).Cache);
        Assert.Equal(ImageCacheOutcome.ReplacedStale, ImageFolder.Load(root, new ImageDecodeOptions(2, 2, ImageChannels.Rgb, invert: true), cache).Cache);
    }

    [Fact]
    public void AChangedSourceInvalidatesTheCache()
    {
        using var scratch = new ScratchFolder();
        var root = WriteFolder(scratch);
        var cache = Path.Combine(scratch.Root, "images.bin");
        var options = new ImageDecodeOptions(4, 4);
        ImageFolder.Load(root, options, cache);

        var changed = Path.Combine(root, "class1", "0.png");
        TestPng.Write(changed, TestPng.Gray(4, 4, [.. Enumerable.Repeat((byte)255, 16)]));
        File.SetLastWriteTimeUtc(changed, DateTime.UtcNow.AddMinutes(1));
        var reloaded = ImageFolder.Load(root, options, cache);
        Assert.Equal(ImageCacheOutcome.ReplacedStale, reloaded.Cache);
        Assert.All(reloaded.GetInputs([2]).ToArray(), v => Assert.Equal(1f, v));

        TestPng.Write(Path.Combine(root, "class1", "2.png"), TestPng.Gray(4, 4, new byte[16]));
        var added = ImageFolder.Load(root, options, cache);
        Assert.Equal(ImageCacheOutcome.ReplacedStale, added.Cache);
        Assert.Equal(5, added.Count);
    }

    [Theory]
    [InlineData("flip a pixel byte")]
    [InlineData("truncate")]
    [InlineData("garbage")]
    [InlineData("empty")]
    public void ACorruptCacheIsRebuiltNotTrusted(string damage)
    {
        using var scratch = new ScratchFolder();
        var root = WriteFolder(scratch);
        var cache = Path.Combine(scratch.Root, "images.bin");
        var options = new ImageDecodeOptions(4, 4);
        var expected = All(ImageFolder.Load(root, options, cache));

        var bytes = File.ReadAllBytes(cache);
        bytes = damage switch
        {
            "flip a pixel byte" => [.. bytes[..100], (byte)(bytes[100] ^ 0x40), .. bytes[101..]],
            "truncate" => bytes[..^10],
            "garbage" => [.. Enumerable.Range(0, bytes.Length).Select(i => (byte)(i * 7))],
            _ => [],
        };
        File.WriteAllBytes(cache, bytes);

        var rebuilt = ImageFolder.Load(root, options, cache);
        Assert.Equal(ImageCacheOutcome.ReplacedCorrupt, rebuilt.Cache);
        Assert.Equal(expected, All(rebuilt));
        Assert.Equal(ImageCacheOutcome.Hit, ImageFolder.Load(root, options, cache).Cache);
    }

    [Fact]
    public void AZipSourceIsKeyedByItsContent()
    {
        using var scratch = new ScratchFolder();
        var root = WriteFolder(scratch);
        var zip = Path.Combine(scratch.Root, "images.zip");
        System.IO.Compression.ZipFile.CreateFromDirectory(root, zip);
        var cache = Path.Combine(scratch.Root, "images.bin");
        var options = new ImageDecodeOptions(4, 4);
        Assert.Equal(ImageCacheOutcome.Created, ImageFolder.Load(zip, options, cache).Cache);
        Assert.Equal(ImageCacheOutcome.Hit, ImageFolder.Load(zip, options, cache).Cache);

        // The same listing with other bytes, and the write time put back: the SHA-256 still tells them apart.
        var time = File.GetLastWriteTimeUtc(zip);
        TestPng.Write(Path.Combine(root, "class0", "0.png"), TestPng.Gray(4, 4, new byte[16]));
        File.Delete(zip);
        System.IO.Compression.ZipFile.CreateFromDirectory(root, zip);
        File.SetLastWriteTimeUtc(zip, time);
        var reloaded = ImageFolder.Load(zip, options, cache);
        Assert.Equal(ImageCacheOutcome.ReplacedStale, reloaded.Cache);
        Assert.All(reloaded.GetInputs([0]).ToArray(), v => Assert.Equal(0f, v));
    }
}
