using MetaLearn.Data.Images;
using MetaLearn.Tests.Shared;

namespace MetaLearn.Tests.Data.Images;

/// <summary>
/// The whole background set, decoded once and then read back from the cache: every count, and the cached images equal
/// the decoded ones. How much faster the cache is is not asserted here: a timed test depends on the machine's load, so
/// that comparison belongs in a benchmark.
/// </summary>
public class OmniglotFullLoadTests
{
    [FullOmniglotFact]
    public void LoadsTheWholeBackgroundSetAndItsCacheReadsItBackIdentically()
    {
        using var scratch = new ScratchFolder();
        var options = new OmniglotOptions { CacheFile = Path.Combine(scratch.Root, "background28.cache") };
        var cold = Omniglot.Load(OmniglotData.FullZipPath(), options);
        var cached = Omniglot.Load(OmniglotData.FullZipPath(), options);

        Assert.Equal(ImageCacheOutcome.Created, cold.Cache);
        Assert.Equal(ImageCacheOutcome.Hit, cached.Cache);
        Assert.Equal(19280, cold.Count);
        Assert.Equal(964, cold.Classes.Count);
        Assert.Equal(30, cold.Groups.Count);
        Assert.All(cold.Classes, c => Assert.Equal(20, cold.IndicesOf(c).Count));
        int[] sample = [0, 5000, 12345, 19279];
        Assert.Equal(cold.GetInputs(sample).ToArray(), cached.GetInputs(sample).ToArray());
        Assert.Equal(cold.Groups, cached.Groups);
        Assert.Equal(cold.ClassInfo.Select(c => c.Name), cached.ClassInfo.Select(c => c.Name));
    }
}
