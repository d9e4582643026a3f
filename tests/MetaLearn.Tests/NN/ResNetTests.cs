using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Tests.NN;

/// <summary>ResNet-12 and WRN backbones: layout, parameter counts against the closed-form counts, output shapes, bad arguments.</summary>
public class ResNetTests
{
    private static readonly int[] PaperWidths = [64, 160, 320, 640];

    /// <summary>ResNet-12's body: per block of in → out channels, three 3×3 and one 1×1 convolution without bias and four batch norms.</summary>
    private static long ResNet12Count(int inChannels, int[] widths)
    {
        long total = 0;
        foreach (int width in widths)
        {
            total += (9L * inChannels * width) + (18L * width * width) + ((long)inChannels * width) + (8L * width);
            inChannels = width;
        }

        return total;
    }

    /// <summary>WRN-d-k's body: the 3×3 stem, per block bn(in) + 3×3 in→out + bn(out) + 3×3 out→out (+ 1×1 shortcut when the shape changes), final bn.</summary>
    private static long WideResNetCount(int depth, int k, int inChannels)
    {
        long total = 9L * inChannels * 16;
        int channels = 16;
        for (int group = 0; group < 3; group++)
        {
            int width = 16 * k << group;
            for (int b = 0; b < (depth - 4) / 6; b++)
            {
                total += (2L * channels) + (9L * channels * width) + (2L * width) + (9L * width * width);
                if (b == 0)
                {
                    total += (long)channels * width;
                }

                channels = width;
            }
        }

        return total + (2L * channels);
    }

    [Fact]
    public void ResNet12HasThePublishedParameterCountAndLayout()
    {
        var net = Backbones.ResNet12(new Generator(1));
        Assert.Equal(12_424_320, net.ParameterElementCount());
        Assert.Equal(ResNet12Count(3, PaperWidths), net.ParameterElementCount());
        Assert.Null(net.Classifier);
        Assert.Equal(640, net.FeatureCount);
        Assert.Equal(5, net.FeatureSide);
        var names = net.NamedParameters().Select(p => p.Name).ToArray();
        Assert.Equal(4 * 12, names.Length);
        Assert.Equal(["features.0.conv1.weight", "features.0.bn1.weight", "features.0.bn1.bias", "features.0.conv2.weight"], names[..4]);
        Assert.Equal(["features.3.downsample.0.weight", "features.3.downsample.1.weight", "features.3.downsample.1.bias"], names[^3..]);
        Assert.Equal([640, 320, 1, 1], net.Parameters()[^3].Shape.ToArray());

        var headed = Backbones.ResNet12(new Generator(1), ways: 5, pooling: FeaturePooling.Flatten);
        Assert.Equal(16_000, headed.FeatureCount);
        Assert.Equal(ResNet12Count(3, PaperWidths) + (16_000 * 5) + 5, headed.ParameterElementCount());
        Assert.Equal(["classifier.weight", "classifier.bias"], headed.NamedParameters().TakeLast(2).Select(p => p.Name));
        Assert.Equal(2, headed.HeadParameterCount);
    }

    [Fact]
    public void WideResNet28x10HasThePublishedParameterCount()
    {
        var net = Backbones.WideResNet(new Generator(1), ways: 10, imageSize: 32);
        Assert.Equal(36_479_194, net.ParameterElementCount());
        Assert.Equal(WideResNetCount(28, 10, 3) + (640 * 10) + 10, net.ParameterElementCount());
        Assert.Equal(640, net.FeatureCount);
        Assert.Equal(8, net.FeatureSide);
        Assert.Equal(1 + 12 + 2, net.Features.Children.Count);
        var blocks = net.Features.Children.Skip(1).Take(12).Select(c => (WideBlock)c.Child).ToArray();
        Assert.Equal([true, false, false, false, true, false, false, false, true, false, false, false], blocks.Select(b => b.HasShortcutConvolution));
        Assert.Equal([1, 2, 2], blocks.Where(b => b.HasShortcutConvolution).Select(b => b.Stride));
        Assert.Equal(WideResNetCount(16, 4, 1), Backbones.WideResNet(new Generator(1), depth: 16, widenFactor: 4, inChannels: 1).ParameterElementCount());
    }

    [Fact]
    public void ResNet12GivesSixHundredFortyFeaturesAt84AndAt32Pixels()
    {
        // Full width at 32 pixels (32 → 16 → 8 → 4 → 2); at 84 (84 → 42 → 21 → 10 → 5) on a thin body ending in 640
        // channels, whose maps shrink the same way at a fraction of the cost.
        var small = NNTestData.Uniform(4, [2, 3, 32, 32], dtype: DType.Float32);
        Assert.Equal([2, 640], Backbones.ResNet12(new Generator(2), imageSize: 32).Forward(small).Shape.ToArray());
        var x = NNTestData.Uniform(3, [2, 3, 84, 84], dtype: DType.Float32);
        var thin = Backbones.ResNet12(new Generator(2), widths: [4, 4, 8, 640]);
        Assert.Equal([2, 640], thin.Forward(x).Shape.ToArray());
        Assert.Equal([2, 640], thin.Forward(small).Shape.ToArray());

        // Flattened, with a head sized for its own image size.
        var flat = Backbones.ResNet12(new Generator(2), ways: 5, widths: [4, 4, 8, 8], pooling: FeaturePooling.Flatten);
        Assert.Equal([2, 8 * 5 * 5], flat.Embed(x).Shape.ToArray());
        Assert.Equal([2, 5], flat.Forward(x).Shape.ToArray());
        var flat32 = Backbones.ResNet12(new Generator(2), widths: [4, 4, 8, 8], imageSize: 32, pooling: FeaturePooling.Flatten);
        Assert.Equal(8 * 2 * 2, flat32.FeatureCount);
        Assert.Equal([2, 32], flat32.Forward(small).Shape.ToArray());
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => flat.Forward(small)).ParamName);
    }

    [Fact]
    public void WideResNetShrinksAsPublished()
    {
        // WRN-28-10's 640 features are checked with its count above; the shapes here come from narrow networks with the
        // same strides: 32 → 32 → 16 → 8 and 84 → 84 → 42 → 21.
        var small = Backbones.WideResNet(new Generator(5), depth: 10, widenFactor: 1, imageSize: 32, pooling: FeaturePooling.Flatten);
        Assert.Equal(8, small.FeatureSide);
        Assert.Equal([2, 64 * 8 * 8], small.Forward(NNTestData.Uniform(6, [2, 3, 32, 32], dtype: DType.Float32)).Shape.ToArray());
        var narrow = Backbones.WideResNet(new Generator(5), ways: 3, depth: 10, widenFactor: 1);
        Assert.Equal(21, narrow.FeatureSide);
        var x = NNTestData.Uniform(7, [2, 3, 84, 84], dtype: DType.Float32);
        Assert.Equal([2, 64], narrow.Embed(x).Shape.ToArray());
        Assert.Equal([2, 3], narrow.Forward(x).Shape.ToArray());
    }

    [Fact]
    public void ResidualBlocksUseTheGivenWeightsAndTheShortcut()
    {
        // Zeroing the third batch norm's scale and shift leaves only the shortcut: out = pool(leaky(shortcut(x))).
        var block = new ResidualBlock(2, 3, new Generator(8), dtype: DType.Float64);
        var x = NNTestData.Uniform(9, [2, 2, 4, 4]);
        var weights = block.Parameters().ToArray();
        int bn3 = block.NamedParameters().Select(p => p.Name).ToList().IndexOf("bn3.weight");
        weights[bn3] = Tensor.Zeros([3], DType.Float64);
        weights[bn3 + 1] = Tensor.Zeros([3], DType.Float64);
        var downsample = (Sequential)block.Children[6].Child;
        var expected = Functional.MaxPool2d(downsample.Forward(x).LeakyRelu(0.1), 2).ToDoubleArray();
        NNTestData.AssertClose(expected, block.Forward(x, weights).ToDoubleArray(), 1e-12);
        Assert.NotEqual(expected, block.Forward(x).ToDoubleArray());

        // An identity-shortcut wide block adds its input; a zeroed second convolution leaves exactly the input.
        var wide = new WideBlock(3, 3, 1, new Generator(10), dtype: DType.Float64);
        var y = NNTestData.Uniform(11, [2, 3, 4, 4]);
        var wideWeights = wide.Parameters().ToArray();
        wideWeights[^1] = Tensor.Zeros([3, 3, 3, 3], DType.Float64);
        Assert.False(wide.HasShortcutConvolution);
        Assert.Equal(y.ToDoubleArray(), wide.Forward(y, wideWeights).ToDoubleArray());
    }

    [Fact]
    public void TrainAndEvalReachTheRegularizers()
    {
        var net = Backbones.ResNet12(new Generator(1), widths: [2, 2, 2], imageSize: 16, dropBlockProbability: 0.1, dropBlockSize: 2);
        var blocks = net.Features.Children.Select(c => (ResidualBlock)c.Child).ToArray();
        Assert.IsType<Dropout>(blocks[0].Regularizer);
        Assert.IsType<DropBlock>(blocks[1].Regularizer);
        Assert.IsType<DropBlock>(blocks[2].Regularizer);
        net.Eval();
        Assert.All(blocks, b => Assert.False(b.Regularizer!.IsTraining));
        var x = NNTestData.Uniform(2, [3, 3, 16, 16], dtype: DType.Float32);
        Assert.Equal(net.Forward(x).ToDoubleArray(), net.Forward(x).ToDoubleArray());
        net.Train();
        Assert.NotEqual(net.Forward(x).ToDoubleArray(), net.Forward(x).ToDoubleArray());
        Assert.Null(Backbones.ResNet12(new Generator(1), widths: [2], imageSize: 4).Features.Children.Select(c => ((ResidualBlock)c.Child).Regularizer).Single());
    }

    [Fact]
    public void BadArgumentsAreNamed()
    {
        var g = new Generator(1);
        Assert.Equal("widths", Assert.Throws<ArgumentException>(() => Backbones.ResNet12(g, widths: [])).ParamName);
        Assert.Equal("widths", Assert.Throws<ArgumentException>(() => Backbones.ResNet12(g, widths: [4, 0])).ParamName);
        Assert.Equal("imageSize", Assert.Throws<ArgumentOutOfRangeException>(() => Backbones.ResNet12(g, widths: [2, 2, 2, 2], imageSize: 8)).ParamName);
        Assert.Equal("dropBlockProbability", Assert.Throws<ArgumentOutOfRangeException>(() => Backbones.ResNet12(g, dropBlockProbability: 1)).ParamName);
        Assert.Equal("dropBlockSize", Assert.Throws<ArgumentOutOfRangeException>(() => Backbones.ResNet12(g, dropBlockSize: 0)).ParamName);
        Assert.Equal("ways", Assert.Throws<ArgumentOutOfRangeException>(() => Backbones.ResNet12(g, ways: 0, widths: [2])).ParamName);
        Assert.Equal("pooling", Assert.Throws<ArgumentOutOfRangeException>(() => Backbones.ResNet12(g, widths: [2], pooling: (FeaturePooling)7)).ParamName);
        Assert.Equal("depth", Assert.Throws<ArgumentOutOfRangeException>(() => Backbones.WideResNet(g, depth: 27)).ParamName);
        Assert.Equal("depth", Assert.Throws<ArgumentOutOfRangeException>(() => Backbones.WideResNet(g, depth: 4)).ParamName);
        Assert.Equal("widenFactor", Assert.Throws<ArgumentOutOfRangeException>(() => Backbones.WideResNet(g, widenFactor: 0)).ParamName);
        Assert.Equal("dropout", Assert.Throws<ArgumentOutOfRangeException>(() => Backbones.WideResNet(g, dropout: 1.5)).ParamName);
        Assert.Equal("negativeSlope", Assert.Throws<ArgumentOutOfRangeException>(() => new ResidualBlock(2, 2, g, negativeSlope: -0.1)).ParamName);
        Assert.Equal("regularizer", Assert.Throws<ArgumentException>(() => new ResidualBlock(2, 2, g, regularizer: new Linear(1, 1, g))).ParamName);
        Assert.Equal("stride", Assert.Throws<ArgumentOutOfRangeException>(() => new WideBlock(2, 2, 0, g)).ParamName);

        var net = Backbones.ResNet12(g, widths: [2, 2], imageSize: 8);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => net.Forward(Tensor.Zeros([2, 1, 8, 8]))).ParamName);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => new ResidualBlock(2, 2, g).Forward(Tensor.Zeros([2, 2, 1, 4]))).ParamName);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => new WideBlock(2, 4, 2, g).Forward(Tensor.Zeros([2, 3, 4, 4]))).ParamName);
        Assert.Equal("parameters", Assert.Throws<ArgumentException>(() => net.Embed(Tensor.Zeros([2, 3, 8, 8]), [])).ParamName);
    }
}
