using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Tests.NN;

/// <summary>Forward values, shapes, names and modes of the layers and backbones.</summary>
public class LayerTests
{
    private static readonly double[] OneToNine = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    private static readonly double[] Kernel = [1, 2, 3, 4];

    [Fact]
    public void Conv2dComputesKnownValues()
    {
        // x = [[1,2,3],[4,5,6],[7,8,9]], w = [[1,2],[3,4]], b = 0.5: y[i,j] = Σ w[u,v]·x[i+u, j+v] + b.
        var conv = new Conv2d(1, 1, 2, new Generator(1), dtype: DType.Float64);
        Init.Assign(conv.Parameters()[0], Tensor.FromArray(Kernel, 1, 1, 2, 2));
        Init.Assign(conv.Parameters()[1], Tensor.Full([1], 0.5, DType.Float64));
        var x = Tensor.FromArray(OneToNine, 1, 1, 3, 3);
        Assert.Equal([37.5, 47.5, 67.5, 77.5], conv.Forward(x).ToDoubleArray());

        // Padding 1, stride 2: windows at rows/cols {−1, 0} and {1, 2}; out-of-image taps read 0.
        var padded = new Conv2d(1, 1, 2, new Generator(1), stride: 2, padding: 1, bias: false, dtype: DType.Float64);
        Init.Assign(padded.Parameters()[0], Tensor.FromArray(Kernel, 1, 1, 2, 2));
        var y = padded.Forward(x);
        Assert.Equal([1, 1, 2, 2], y.Shape.ToArray());
        Assert.Equal([4.0, 18, 36, 77], y.ToDoubleArray());
        Assert.Equal(2, padded.OutputSize(3));
        Assert.Equal(["weight"], padded.NamedParameters().Select(p => p.Name));

        var e = Assert.Throws<ArgumentException>(() => conv.Forward(Tensor.Zeros([1, 2, 3, 3], DType.Float64)));
        Assert.Contains("[1, 2, 3, 3]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Conv2dDilationAndGroupsFollowPyTorch()
    {
        // 3×3 taps two apart span 5 pixels: a 5×5 input with no padding gives one output, Σ w·x at the nine even positions.
        var dilated = new Conv2d(1, 1, 3, new Generator(1), bias: false, dtype: DType.Float64, dilation: 2);
        Init.Assign(dilated.Parameters()[0], Tensor.Ones([1, 1, 3, 3], DType.Float64));
        var x = Tensor.Arange(0, 25, 1, DType.Float64).Reshape(1, 1, 5, 5);
        Assert.Equal([0.0 + 2 + 4 + 10 + 12 + 14 + 20 + 22 + 24], dilated.Forward(x).ToDoubleArray());
        Assert.Equal(1, dilated.OutputSize(5));

        // Depthwise: 4 channels in 4 groups, weight [8, 1, 3, 3], fan_in 9.
        var depthwise = new Conv2d(4, 8, 3, new Generator(2), padding: 1, dtype: DType.Float64, groups: 4);
        Assert.Equal([8, 1, 3, 3], depthwise.Parameters()[0].Shape.ToArray());
        Assert.All(depthwise.Parameters()[0].ToDoubleArray(), w => Assert.InRange(w, -1.0 / 3, 1.0 / 3));
        Assert.Equal([2, 8, 5, 5], depthwise.Forward(Tensor.Zeros([2, 4, 5, 5], DType.Float64)).Shape.ToArray());
        Assert.Equal("groups", Assert.Throws<ArgumentException>(() => new Conv2d(4, 6, 3, new Generator(3), groups: 4)).ParamName);
    }

    [Fact]
    public void LayerNormNormalizesEachSampleWithPyTorchNames()
    {
        var norm = new LayerNorm(3, dtype: DType.Float64);
        Assert.Equal(["weight", "bias"], norm.NamedParameters().Select(p => p.Name));
        Init.Assign(norm.Parameters()[0], Tensor.FromArray(new double[] { 1, 2, 3 }));
        Init.Assign(norm.Parameters()[1], Tensor.FromArray(new double[] { 0, 0, 1 }));

        // Row [1, 2, 3]: mean 2, biased variance 2/3, so x̂ = [−1, 0, 1]·√(3/2)/√(1 + 1.5ε).
        double s = Math.Sqrt(1.5) / Math.Sqrt(1 + 1.5e-5);
        var y = norm.Forward(Tensor.FromArray(new double[] { 1, 2, 3, 5, 5, 5 }, 2, 3)).ToDoubleArray();
        double[] expected = [-s, 0, (3 * s) + 1, 0, 0, 1];
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], y[i], 12);
        }

        Assert.Empty(new LayerNorm([2, 3], elementwiseAffine: false).NamedParameters());
        Assert.Equal(["weight"], new LayerNorm([2, 3], bias: false).NamedParameters().Select(p => p.Name));
        Assert.Equal("normalizedShape", Assert.Throws<ArgumentException>(() => new LayerNorm([])).ParamName);
        var e = Assert.Throws<ArgumentException>(() => norm.Forward(Tensor.Zeros([2, 4], DType.Float64)));
        Assert.Contains("[2, 4]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PoolingAndFlattenShapesAndValues()
    {
        var x = Tensor.FromArray(OneToNine, 1, 1, 3, 3);
        Assert.Equal([5.0], new MaxPool2d(2).Forward(x).ToDoubleArray());
        Assert.Equal([5.0, 6, 8, 9], new MaxPool2d(2, 1).Forward(x).ToDoubleArray());
        Assert.Equal([3.0, 4, 6, 7], new AvgPool2d(2, 1).Forward(x).ToDoubleArray());
        Assert.Equal([1, 9], new Flatten().Forward(x).Shape.ToArray());
        Assert.Equal([1, 1, 9], new Flatten(2).Forward(x).Shape.ToArray());
        Assert.Empty(new MaxPool2d(2).Parameters());
    }

    [Fact]
    public void DropoutIsInvertedSeededAndOffInEval()
    {
        var x = Tensor.Ones([100, 100], DType.Float64);
        var dropout = new Dropout(0.3, new Generator(5));
        var y = dropout.Forward(x).ToDoubleArray();
        double zeros = y.Count(v => v == 0) / (double)y.Length;
        Assert.InRange(zeros, 0.28, 0.32);
        Assert.All(y, v => Assert.True(v == 0 || Math.Abs(v - (1 / 0.7)) < 1e-12));
        Assert.InRange(y.Average(), 0.97, 1.03);

        Assert.Equal(y, new Dropout(0.3, new Generator(5)).Forward(x).ToDoubleArray());
        Assert.NotEqual(y, dropout.Forward(x).ToDoubleArray()); // the generator advances

        dropout.Eval();
        Assert.Same(x, dropout.Forward(x));
        Assert.Same(x, new Dropout(0, new Generator(1)).Forward(x));
        Assert.All(new Dropout(1, new Generator(1)).Forward(x).ToDoubleArray(), v => Assert.Equal(0, v));
        Assert.Equal(DType.Float32, new Dropout(0.5, new Generator(1)).Forward(Tensor.Ones(3)).DType);
    }

    [Fact]
    public void MlpHasTheRequestedLayout()
    {
        var mlp = Backbones.Mlp([1, 40, 40, 1], ActivationKind.Relu, new Generator(1));
        Assert.Equal(5, mlp.Children.Count);
        Assert.IsType<Linear>(mlp.Children[0].Child);
        Assert.IsType<Activation>(mlp.Children[1].Child);
        Assert.IsType<Linear>(mlp.Children[4].Child);
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"], mlp.NamedParameters().Select(p => p.Name));
        Assert.Equal(40 + 40 + (40 * 40) + 40 + 40 + 1, mlp.ParameterElementCount());
        Assert.Equal([7, 1], mlp.Forward(Tensor.Zeros(7, 1)).Shape.ToArray());
    }

    [Fact]
    public void OmniglotConvNetHasMamlArchitecture()
    {
        var net = Backbones.OmniglotConvNet(5, new Generator(1));
        Assert.Equal(112_261, net.ParameterElementCount());
        Assert.Equal(64, net.FeatureCount);
        var names = net.NamedParameters().Select(p => p.Name).ToArray();
        Assert.Equal(18, names.Length);
        Assert.Equal("features.0.conv.weight", names[0]);
        Assert.Equal("features.0.conv.bias", names[1]);
        Assert.Equal("features.0.norm.weight", names[2]);
        Assert.Equal("features.3.norm.bias", names[15]);
        Assert.Equal("classifier.weight", names[16]);
        Assert.Equal("classifier.bias", names[17]);
        Assert.Equal(16, net.HeadParameterStart);
        Assert.Equal([64, 1, 3, 3], net.Parameters()[0].Shape.ToArray());
        Assert.Equal([5, 64], net.Parameters()[16].Shape.ToArray());
        Assert.Empty(net.NamedBuffers());

        var x = NNTestData.Uniform(2, [2, 1, 28, 28], dtype: DType.Float32);
        Assert.Equal([2, 5], net.Forward(x).Shape.ToArray());
        Assert.Equal([2, 64], net.Embed(x).Shape.ToArray());

        var running = Backbones.OmniglotConvNet(5, new Generator(1), statistics: BatchNormStatistics.Running);
        Assert.Equal(8, running.NamedBuffers().Count);
        Assert.Equal("features.0.norm.running_mean", running.NamedBuffers()[0].Name);

        var mini = Backbones.MiniImageNetConvNet(5, new Generator(1));
        Assert.Equal(800, mini.FeatureCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => Backbones.OmniglotConvNet(5, new Generator(1), imageSize: 8));
    }

    [Fact]
    public void TrainAndEvalPropagateToEveryLayer()
    {
        var net = Backbones.OmniglotConvNet(3, new Generator(1), hiddenChannels: 4, imageSize: 16);
        net.Eval();
        Assert.False(net.Features.Children[2].Child.IsTraining);
        Assert.False(((ConvBlock)net.Features.Children[2].Child).Norm.IsTraining);
        net.Train();
        Assert.True(((ConvBlock)net.Features.Children[2].Child).Norm.IsTraining);
    }

    private sealed class Growing : Module
    {
        public void Grow(int outputs) => AddModule("late", new Linear(2, outputs, new Generator(1)));

        public override MetaLearn.Tensors.Tensor Forward(MetaLearn.Tensors.Tensor input, ParameterView parameters) => input;
    }

    [Fact]
    public void ParametersAddedToAChildLaterAppearInTheParent()
    {
        var child = new Growing();
        var parent = new Sequential(child);
        Assert.Empty(parent.Parameters());
        child.Grow(3);
        Assert.Equal(2, parent.Parameters().Count);
        Assert.Equal(["0.late.weight", "0.late.bias"], parent.NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void SequentialFusesLinearReluWithTheSameValuesAndGradients()
    {
        // Linear, ReLU pairs run as one node; a leaky ReLU is left alone. Values and second-order gradients match the layers
        // applied one by one, bit for bit.
        var model = new Sequential(
            new Linear(3, 8, new Generator(4)), new Activation(ActivationKind.Relu),
            new Linear(8, 8, new Generator(5)), new Activation(ActivationKind.LeakyRelu, 0.1),
            new Linear(8, 2, new Generator(6)));
        var x = Tensor.RandomNormal(new Generator(7), [2, 5, 3]);
        var p = model.Parameters().Select(t => t.Unsqueeze(0).BroadcastTo([2, .. t.Shape])).ToArray();
        Tensor Manual()
        {
            var h = Functional.Linear(x, p[0], p[1]).Relu();
            h = Functional.Linear(h, p[2], p[3]).LeakyRelu(0.1);
            return Functional.Linear(h, p[4], p[5]);
        }

        Assert.Equal(Manual().ToArray(), model.Forward(x, p).ToArray());
        var fused = MetaLearn.Tensors.Autodiff.Autograd.Grad(model.Forward(x, p).Square().Sum(), p, createGraph: true);
        var manual = MetaLearn.Tensors.Autodiff.Autograd.Grad(Manual().Square().Sum(), p, createGraph: true);
        var fusedOuter = MetaLearn.Tensors.Autodiff.Autograd.Grad(fused.Select(g => g!.Square().Sum()).Aggregate((a, b) => a + b), model.Parameters());
        var manualOuter = MetaLearn.Tensors.Autodiff.Autograd.Grad(manual.Select(g => g!.Square().Sum()).Aggregate((a, b) => a + b), model.Parameters());
        for (int i = 0; i < p.Length; i++)
        {
            Assert.Equal(manual[i]!.ToArray(), fused[i]!.ToArray());
            Assert.Equal(manualOuter[i]!.ToArray(), fusedOuter[i]!.ToArray());
        }
    }

    [Fact]
    public void FusingLinearAndReluIsExplicitAndBitIdentical()
    {
        Sequential Build(bool fuse) => new(
            new Linear(3, 16, new Generator(1)), new Activation(ActivationKind.Relu),
            new Linear(16, 2, new Generator(2)), new Activation(ActivationKind.Relu))
        { FuseLinearRelu = fuse };

        var fused = Build(true);
        var plain = Build(false);
        var x = Tensor.RandomNormal(new Generator(3), [5, 3]);
        Assert.Equal(plain.Forward(x).ToArray(), fused.Forward(x).ToArray());
        Assert.Equal(plain.NamedParameters().Select(p => p.Name), fused.NamedParameters().Select(p => p.Name));
        var gFused = MetaLearn.Tensors.Autodiff.Autograd.Grad(fused.Forward(x).Sum(), fused.Parameters());
        var gPlain = MetaLearn.Tensors.Autodiff.Autograd.Grad(plain.Forward(x).Sum(), plain.Parameters());
        for (int i = 0; i < gFused.Length; i++)
        {
            Assert.Equal(gPlain[i]!.ToArray(), gFused[i]!.ToArray());
        }
    }

    [Fact]
    public void AConvBlockRegistersOnlyTheModulesItRuns()
    {
        var block = new ConvBlock(1, 4, new Generator(1));
        Assert.Equal(["conv", "norm"], block.Children.Select(c => c.Name));
        Assert.NotNull(block.Pool);
        Assert.Null(new ConvBlock(1, 4, new Generator(1), maxPool: false).Pool);
        Assert.Equal(["conv.weight", "conv.bias", "norm.weight", "norm.bias"], block.NamedParameters().Select(p => p.Name));
    }
}
