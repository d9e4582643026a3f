using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Tests.NN;

public class InitTests
{
    [Fact]
    public void SameSeedGivesBitIdenticalWeights()
    {
        int[] shape = [16, 8, 3, 3];
        Assert.Equal(Init.KaimingNormal(new Generator(7), shape).ToArray(), Init.KaimingNormal(new Generator(7), shape).ToArray());
        Assert.Equal(Init.KaimingUniform(new Generator(7), shape).ToArray(), Init.KaimingUniform(new Generator(7), shape).ToArray());
        Assert.Equal(Init.XavierUniform(new Generator(7), shape).ToArray(), Init.XavierUniform(new Generator(7), shape).ToArray());
        Assert.Equal(Init.XavierNormal(new Generator(7), shape).ToArray(), Init.XavierNormal(new Generator(7), shape).ToArray());
        Assert.NotEqual(Init.XavierNormal(new Generator(7), shape).ToArray(), Init.XavierNormal(new Generator(8), shape).ToArray());

        var a = Backbones.OmniglotConvNet(5, new Generator(3)).Parameters();
        var b = Backbones.OmniglotConvNet(5, new Generator(3)).Parameters();
        for (int i = 0; i < a.Count; i++)
        {
            Assert.Equal(a[i].ToArray(), b[i].ToArray());
        }
    }

    [Fact]
    public void ExactValuesForAFixedSeed()
    {
        // Kaiming uniform [4, 3] for ReLU: bound = √2·√(3/3) = √2; element i is −b + 2b·uᵢ for the generator's uniforms.
        var w = Init.KaimingUniform(new Generator(42), [4, 3], nonlinearity: Nonlinearity.Relu, dtype: DType.Float64);
        var reference = new Generator(42);
        double bound = Math.Sqrt(2);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(-bound + (2 * bound * reference.NextDouble()), w.GetFlat(i), 15);
        }

        // Golden values: fixed forever by the generator's portable algorithm (xoshiro256** + SplitMix64, polar method).
        var golden = Init.KaimingUniform(new Generator(42), [4, 3], nonlinearity: Nonlinearity.Relu, dtype: DType.Float64).ToDoubleArray();
        Assert.Equal(KaimingUniformSeed42[0], golden[0], 15);
        Assert.Equal(KaimingUniformSeed42[1], golden[1], 15);
        Assert.Equal(KaimingUniformSeed42[2], golden[2], 15);
        var normal = Init.KaimingNormal(new Generator(42), [2, 2], dtype: DType.Float64).ToDoubleArray();
        Assert.Equal(KaimingNormalSeed42[0], normal[0], 15);
        Assert.Equal(KaimingNormalSeed42[1], normal[1], 15);
    }

    private static readonly double[] KaimingUniformSeed42 = [-1.1770132602655197, -0.342295541655693, 0.5092396673838167];

    private static readonly double[] KaimingNormalSeed42 = [-0.7262191382447857, -0.21119691823195985];

    [Fact]
    public void KaimingNormalHasHeStandardDeviation()
    {
        const int fanIn = 512;
        var w = Init.KaimingNormal(new Generator(5), [256, fanIn], nonlinearity: Nonlinearity.Relu).ToDoubleArray();
        double mean = w.Average();
        double std = Math.Sqrt(w.Sum(v => (v - mean) * (v - mean)) / (w.Length - 1));
        double expected = Math.Sqrt(2.0 / fanIn);
        Assert.True(Math.Abs(std - expected) / expected < 0.02, $"std {std}, expected {expected}");
        Assert.True(Math.Abs(mean) < 0.01 * expected * 10, $"mean {mean}");

        // Fan-out mode uses out·receptive field: [64, 8, 3, 3] → 576.
        var fanOut = Init.KaimingNormal(new Generator(6), [64, 8, 3, 3], FanMode.FanOut, Nonlinearity.Relu).ToDoubleArray();
        double stdOut = Math.Sqrt(fanOut.Sum(v => v * v) / fanOut.Length);
        Assert.True(Math.Abs(stdOut - Math.Sqrt(2.0 / 576)) / Math.Sqrt(2.0 / 576) < 0.05, $"fan-out std {stdOut}");
    }

    [Fact]
    public void UniformInitializersRespectTheirBounds()
    {
        var (fanIn, fanOut) = Init.Fans([64, 32, 3, 3]);
        Assert.Equal((288, 576), (fanIn, fanOut));
        var kaiming = Init.KaimingUniform(new Generator(1), [64, 32, 3, 3]).ToDoubleArray();
        double kb = Math.Sqrt(2) * Math.Sqrt(3.0 / 288);
        Assert.All(kaiming, v => Assert.InRange(Math.Abs(v), 0, kb));
        Assert.True(kaiming.Max() > 0.98 * kb);

        var xavier = Init.XavierUniform(new Generator(2), [200, 300], gain: 2).ToDoubleArray();
        double xb = 2 * Math.Sqrt(6.0 / 500);
        Assert.All(xavier, v => Assert.InRange(Math.Abs(v), 0, xb));
        double variance = xavier.Sum(v => v * v) / xavier.Length;
        Assert.Equal(4 * 2.0 / 500, variance, 4 * 2.0 / 500 * 0.03);

        var xn = Init.XavierNormal(new Generator(3), [200, 300]).ToDoubleArray();
        Assert.Equal(2.0 / 500, xn.Sum(v => v * v) / xn.Length, 2.0 / 500 * 0.03);
    }

    [Fact]
    public void GainsMatchPyTorch()
    {
        Assert.Equal(1.0, Init.Gain(Nonlinearity.Linear));
        Assert.Equal(1.0, Init.Gain(Nonlinearity.Sigmoid));
        Assert.Equal(5.0 / 3, Init.Gain(Nonlinearity.Tanh));
        Assert.Equal(Math.Sqrt(2), Init.Gain(Nonlinearity.Relu));
        Assert.Equal(Math.Sqrt(2 / (1 + 0.2 * 0.2)), Init.Gain(Nonlinearity.LeakyRelu, 0.2), 15);

        // kaiming_uniform_(a=√5) is exactly PyTorch's default U(±1/√fan_in).
        Assert.Equal(
            Init.DefaultWeight(new Generator(9), [3, 4, 2, 2]).ToArray(),
            Init.KaimingUniform(new Generator(9), [3, 4, 2, 2], nonlinearity: Nonlinearity.LeakyRelu, negativeSlope: Math.Sqrt(5)).ToArray());
        Assert.Throws<ArgumentException>(() => Init.Fans([5]));
    }

    [Fact]
    public void DefaultInitMatchesTheLayers()
    {
        var linear = new Linear(6, 4, new Generator(11));
        var g = new Generator(11);
        Assert.Equal(Init.DefaultWeight(g, [4, 6]).ToArray(), linear.Parameters()[0].ToArray());
        Assert.Equal(Init.DefaultBias(g, 6, 4).ToArray(), linear.Parameters()[1].ToArray());

        var conv = new Conv2d(3, 5, 3, new Generator(12));
        var h = new Generator(12);
        Assert.Equal(Init.DefaultWeight(h, [5, 3, 3, 3]).ToArray(), conv.Parameters()[0].ToArray());
        Assert.Equal(Init.DefaultBias(h, 27, 5).ToArray(), conv.Parameters()[1].ToArray());
        Assert.All(conv.Parameters()[0].ToArray(), v => Assert.InRange(Math.Abs(v), 0, 1 / Math.Sqrt(27)));
    }

    [Fact]
    public void AssignWritesInPlace()
    {
        var linear = new Linear(3, 2, new Generator(1));
        var weight = linear.Parameters()[0];
        var replacement = Init.XavierUniform(new Generator(2), [2, 3], dtype: DType.Float64);
        Init.Assign(weight, replacement);
        Assert.Same(weight, linear.Parameters()[0]);
        Assert.Equal(replacement.ToArray(), weight.ToArray());
        Assert.True(weight.RequiresGrad);
        Assert.Throws<ArgumentException>(() => Init.Assign(weight, Tensor.Zeros(3, 2)));
    }
}
