using MetaLearn.NN;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;

namespace MetaLearn.Tests.NN;

/// <summary>
/// The residual blocks and a tiny ResNet-12 against finite differences in float64: the blocks to second order (input and
/// every parameter as variables), and the MAML meta-gradient through a whole network with the inner step recorded. (The
/// smallest WRN, WRN-10-1, has some 78,000 parameters, too many for element-by-element differences; its blocks are checked.)
/// </summary>
public class ResidualGradientTests
{
    private const DType F64 = DType.Float64;

    public static TheoryData<LayerGradientTests.LayerCase> Cases => new()
    {
        new("resnet-12 block", () => new ResidualBlock(2, 3, new Generator(1), dtype: F64), [2, 2, 4, 4]),
        new("resnet-12 block running", () => new ResidualBlock(2, 2, new Generator(2), BatchNormStatistics.Running, dtype: F64), [2, 2, 4, 4]),
        new("resnet-12 block dropblock", () => new ResidualBlock(1, 2, new Generator(3), regularizer: new DropBlock(0.3, 2, new Generator(4)), dtype: F64), [2, 1, 6, 6]),
        new("wide block identity shortcut", () => new WideBlock(2, 2, 1, new Generator(5), dtype: F64), [2, 2, 3, 3]),
        new("wide block strided shortcut dropout", () => new WideBlock(2, 3, 2, new Generator(6), dropout: 0.3, dtype: F64), [2, 2, 4, 4]),
        new("tiny resnet-12", () => Backbones.ResNet12(new Generator(7), ways: 2, widths: [2, 2], imageSize: 4, inChannels: 1, dtype: F64), [2, 1, 4, 4]),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesFiniteDifferencesToSecondOrder(LayerGradientTests.LayerCase c) => new LayerGradientTests().MatchesFiniteDifferencesToSecondOrder(c);

    [Fact]
    public void MamlMetaGradientFlowsThroughAResNet12()
    {
        // θ' = θ − α∇L_support(θ) recorded (createGraph), then ∇θ L_query(θ'): the second-order terms run through the
        // residual sums, leaky ReLUs, batch norms and poolings of every block.
        var model = Backbones.ResNet12(new Generator(21), ways: 2, widths: [2, 3], imageSize: 4, inChannels: 1, dtype: F64);
        var xs = NNTestData.Uniform(1, [4, 1, 4, 4]);
        var xq = NNTestData.Uniform(2, [4, 1, 4, 4]);
        var labels = Tensor.FromArray(new double[] { 1, 0, 0, 1, 0, 1, 1, 0 }, 4, 2);
        const double alpha = 0.3;

        Tensor Loss(Tensor logits) => -(Functional.LogSoftmax(logits) * labels).Sum();

        Tensor MetaLoss(Tensor[] theta)
        {
            var g = Autograd.Grad(Loss(model.Forward(xs, theta)), theta, createGraph: true);
            var adapted = theta.Select((p, i) => p - (g[i]! * alpha)).ToArray();
            return Loss(model.Forward(xq, adapted));
        }

        NNTestData.AssertGradients("MAML through ResNet-12", MetaLoss, model.Parameters(), order: 1);

        // The exact meta-gradient differs from the first-order one: the second-order term through the blocks is present.
        var theta = model.Parameters().ToArray();
        var exact = Autograd.Grad(MetaLoss(theta), theta).SelectMany(g => g!.ToDoubleArray()).ToArray();
        var inner = Autograd.Grad(Loss(model.Forward(xs, theta)), theta);
        var adapted = theta.Select((p, i) => (p - (inner[i]! * alpha)).Detach()).ToArray();
        foreach (var p in adapted)
        {
            p.RequiresGrad = true;
        }

        var firstOrder = Autograd.Grad(Loss(model.Forward(xq, adapted)), adapted).SelectMany(g => g!.ToDoubleArray()).ToArray();
        Assert.True(exact.Zip(firstOrder).Max(pair => Math.Abs(pair.First - pair.Second)) > 1e-4);
    }
}
