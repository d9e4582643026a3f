using System.Diagnostics;
using MetaLearn.Data.Images;
using Xunit.Abstractions;

namespace MetaLearn.Tests.Data.Images;

/// <summary>The whole background set, decoded once and then read back from the cache, with both times printed.</summary>
public class OmniglotFullLoadTests(ITestOutputHelper output)
{
    [Fact]
    public void LoadsTheWholeBackgroundSetAndItsCacheIsFasterAndIdentical()
    {
        using var scratch = new ScratchFolder();
        var options = new OmniglotOptions { CacheFile = Path.Combine(scratch.Root, "background28.cache") };
        var clock = Stopwatch.StartNew();
        var cold = Omniglot.Load(OmniglotData.ZipPath(), options);
        var coldTime = clock.Elapsed;
        clock.Restart();
        var cached = Omniglot.Load(OmniglotData.ZipPath(), options);
        var cachedTime = clock.Elapsed;
        output.WriteLine($"Omniglot background, 28 px: decoded in {coldTime.TotalMilliseconds:F0} ms, from the cache in {cachedTime.TotalMilliseconds:F0} ms ({new FileInfo(options.CacheFile).Length / 1e6:F1} MB).");

        Assert.Equal(ImageCacheOutcome.Created, cold.Cache);
        Assert.Equal(ImageCacheOutcome.Hit, cached.Cache);
        Assert.Equal(19280, cold.Count);
        Assert.Equal(964, cold.Classes.Count);
        Assert.Equal(30, cold.Groups.Count);
        Assert.All(cold.Classes, c => Assert.Equal(20, cold.IndicesOf(c).Count));
        int[] sample = [0, 5000, 12345, 19279];
        Assert.Equal(cold.GetInputs(sample).ToArray(), cached.GetInputs(sample).ToArray());
        Assert.True(cachedTime < coldTime, $"the cached load ({cachedTime}) should beat decoding ({coldTime})");
    }
}
