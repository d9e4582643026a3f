using System.IO.Compression;
using MetaLearn.Data;
using MetaLearn.Data.Images;
using MetaLearn.Tensors;

namespace MetaLearn.Tests.Data.Images;

/// <summary>The Omniglot loader on the real background zip, two alphabets loaded once per size to stay fast.</summary>
public class OmniglotTests(TwoAlphabets alphabets) : IClassFixture<TwoAlphabets>
{

    [Fact]
    public void LoadsEveryCharacterAndDrawingOfTheChosenAlphabets()
    {
        using var zip = ZipFile.OpenRead(OmniglotData.FixtureZipPath());
        var pngs = zip.Entries.Select(e => e.FullName.Split('/')).Where(p => p.Length == 4 && OmniglotData.TwoAlphabets.Contains(p[1]) && p[3].EndsWith(".png", StringComparison.Ordinal)).ToArray();
        int characters = pngs.Select(p => p[1] + "/" + p[2]).Distinct().Count();

        var dataset = alphabets.Size28;
        Assert.Equal(pngs.Length, dataset.Count);
        Assert.Equal(50, characters);
        Assert.Equal(characters, dataset.Classes.Count);
        Assert.Equal(OmniglotData.TwoAlphabets, dataset.Groups);
        Assert.All(dataset.Classes, c => Assert.Equal(20, dataset.IndicesOf(c).Count));
        Assert.Equal(new ImageClass("Greek", "character01", 0), dataset.ClassInfo[0]);
        Assert.Equal([1000, 1, 28, 28], dataset.GetInputs([.. Enumerable.Range(0, 1000)]).Shape.ToArray());
    }

    [Fact]
    public void InkIsOneOnABackgroundOfZero()
    {
        var dataset = alphabets.Size105;
        var pixels = dataset.GetInputs([.. Enumerable.Range(0, dataset.Count)]).ToArray();
        // At full size the 1-bit PNGs decode to exactly 0 and 1, and strokes cover a small part of the page.
        Assert.All(pixels, v => Assert.True(v is 0f or 1f));
        double ink = pixels.Average();
        Assert.InRange(ink, 0.02, 0.3);
        var image = dataset.GetInputs([0]).ToArray();
        Assert.Equal(0f, image[0]);
        Assert.Contains(1f, image);
    }

    [Fact]
    public void SmallerSizesAreAreaAveragesOfTheFullImage()
    {
        var full = alphabets.Size105.GetInputs([0, 777]).ToArray();
        var third = TwoAlphabets.Load(35).GetInputs([0, 777]).ToArray();
        var small = alphabets.Size28.GetInputs([0, 777]).ToArray();
        // 105 → 35 is an exact 3 × 3 block mean.
        for (int n = 0; n < 2; n++)
        {
            for (int y = 0; y < 35; y++)
            {
                for (int x = 0; x < 35; x++)
                {
                    float sum = 0;
                    for (int dy = 0; dy < 3; dy++)
                    {
                        for (int dx = 0; dx < 3; dx++)
                        {
                            sum += full[(n * 105 * 105) + ((3 * y + dy) * 105) + (3 * x) + dx];
                        }
                    }

                    Assert.Equal(sum / 9, third[(n * 35 * 35) + (y * 35) + x], 5);
                }
            }
        }

        Assert.All(small, v => Assert.InRange(v, 0f, 1f));
        Assert.Equal(full.Average(), small.Average(), 4);
    }

    [Fact]
    public void RotationsAreClassesOfTheirOwnTurnedCounterClockwise()
    {
        var dataset = alphabets.Rotated;
        Assert.Equal(200, dataset.Classes.Count);
        Assert.Equal(4000, dataset.Count);
        Assert.Equal(1000, dataset.ImageCount);
        Assert.Equal([0, 90, 180, 270], dataset.ClassInfo.Take(4).Select(c => c.Rotation));
        Assert.Single(dataset.ClassInfo.Take(4).Select(c => c.Name).Distinct());
        Assert.Equal("Greek/character01@90", dataset.ClassInfo[1].ToString());

        var upright = dataset.GetInputs([dataset.IndicesOf(0)[3]]).ToArray();
        var quarter = dataset.GetInputs([dataset.IndicesOf(1)[3]]).ToArray();
        var half = dataset.GetInputs([dataset.IndicesOf(2)[3]]).ToArray();
        for (int y = 0; y < 28; y++)
        {
            for (int x = 0; x < 28; x++)
            {
                Assert.Equal(upright[(x * 28) + 27 - y], quarter[(y * 28) + x]);
                Assert.Equal(upright[((27 - y) * 28) + 27 - x], half[(y * 28) + x]);
            }
        }
    }

    [Fact]
    public void SplitsByAlphabetKeepEveryRotationWithItsCharacter()
    {
        var dataset = alphabets.Rotated;
        var split = dataset.SplitByGroup(trainGroups: 1, validationGroups: 1);
        Assert.Equal(96, split.Train.Count);
        Assert.Equal(104, split.Validation.Count);
        Assert.Empty(split.Test);
        Assert.All(split.Train, c => Assert.Equal("Greek", dataset.ClassInfo[c].Group));
        Assert.All(split.Validation, c => Assert.Equal("Latin", dataset.ClassInfo[c].Group));

        var named = dataset.SplitByGroup(["Latin"], [], ["Greek"]);
        Assert.Equal(split.Validation, named.Train);
        Assert.Equal(split.Train, named.Test);

        var sampler = new FewShotSampler(dataset, ways: 5, shots: 1, queries: 3, classes: split.Validation);
        var task = sampler.Sample(new Generator(1));
        Assert.Equal([5, 1, 28, 28], task.Support.Inputs.Shape.ToArray());
        Assert.All(task.Metadata.Classes!, c => Assert.Contains(c, split.Validation));
    }

    [Fact]
    public void SplitArgumentsAreChecked()
    {
        var zip = OmniglotData.FixtureZipPath();
        var dataset = alphabets.Size28;
        Assert.Throws<ArgumentOutOfRangeException>(() => dataset.SplitByGroup(2, 1));
        var unknown = Assert.Throws<ArgumentException>(() => dataset.SplitByGroup(["Klingon"], ["Latin"]));
        Assert.Contains("Klingon", unknown.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => dataset.SplitByGroup(["Latin"], ["Latin"]));
        Assert.Throws<ArgumentException>(() => Omniglot.Load(zip, new OmniglotOptions { Rotations = [45] }));
    }
}
