using MetaLearn.Data;
using MetaLearn.Data.Images;
using MetaLearn.Tensors;

namespace MetaLearn.Tests.Data.Images;

public class AffineDistortionTests
{
    private static Tensor Square()
    {
        var pixels = new float[2 * 12 * 12];
        for (int y = 4; y < 8; y++)
        {
            for (int x = 4; x < 8; x++)
            {
                pixels[(y * 12) + x] = 1;
                pixels[144 + (y * 12) + x] = 1;
            }
        }

        return Tensor.FromArray(pixels, 2, 1, 12, 12);
    }

    [Fact]
    public void ProbabilityZeroLeavesImagesUnchanged()
        => Assert.Equal(Square().ToArray(), new AffineDistortion { Probability = 0 }.Apply(Square(), new Generator(1)).ToArray());

    [Fact]
    public void DistortsEachImageOnItsOwnKeepingTheInkInRangeAndIsSeeded()
    {
        var distortion = new AffineDistortion { Probability = 1 };
        var a = distortion.Apply(Square(), new Generator(4)).ToArray();
        Assert.Equal(a, distortion.Apply(Square(), new Generator(4)).ToArray());
        Assert.NotEqual(a[..144], a[144..]);
        Assert.All(a, v => Assert.InRange(v, 0f, 1f));
        double ink = a[..144].Sum();
        Assert.InRange(ink, 16 * 0.5, 16 * 1.6);
    }

    [Fact]
    public void DistortedTasksDistortImagesAndKeepLabels()
    {
        var dataset = new InMemoryDataset(Tensor.Concat([Square(), Square(), Square()], 0), [0, 0, 1, 1, 2, 2]);
        var tasks = new DistortedTasks(new PairSampler(dataset, 2, 2), new AffineDistortion { Probability = 1 });
        var plain = (PairExamples)new PairSampler(dataset, 2, 2).Sample(new Generator(6)).Support;
        var task = tasks.Sample(new Generator(6));
        var pairs = (PairExamples)task.Support;
        Assert.Equal(plain.Same, pairs.Same);
        Assert.NotEqual(plain.Inputs.ToArray(), pairs.Inputs.ToArray());
    }

    [Fact]
    public void BadInputsThrowNamingTheArgument()
    {
        Assert.Equal("Probability", Assert.Throws<ArgumentOutOfRangeException>(() => new AffineDistortion { Probability = 2 }).ParamName);
        Assert.Equal("images", Assert.Throws<ArgumentException>(() => new AffineDistortion().Apply(Tensor.Zeros(2, 3), new Generator(1))).ParamName);
        var regression = new DistortedTasks(new SineTaskDistribution(2, 2), new AffineDistortion());
        Assert.Equal("examples", Assert.Throws<ArgumentException>(() => regression.Sample(new Generator(1))).ParamName);
    }
}
