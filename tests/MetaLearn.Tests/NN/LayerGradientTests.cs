using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Tests.NN;

/// <summary>
/// Every layer in training mode, run through <c>Forward(x, parameters)</c> with the input and all parameters as variables,
/// checked against finite differences to second order in float64.
/// </summary>
public class LayerGradientTests
{
    /// <summary>One row: a name, a float64 module factory, the input shape, and whether to put the layer in eval mode.</summary>
    public sealed record LayerCase(string Name, Func<Module> Create, int[] InputShape, bool Eval = false, bool AwayFromZero = false)
    {
        public override string ToString() => Name;
    }

    private const DType F64 = DType.Float64;

    public static TheoryData<LayerCase> Cases => new()
    {
        new("linear", () => new Linear(3, 2, new Generator(1), dtype: F64), [4, 3]),
        new("linear no bias", () => new Linear(3, 2, new Generator(1), bias: false, dtype: F64), [2, 3]),
        new("conv2d padded", () => new Conv2d(2, 3, 3, new Generator(2), padding: 1, dtype: F64), [2, 2, 4, 4]),
        new("conv2d stride 2 no bias", () => new Conv2d(2, 2, 3, new Generator(3), stride: 2, bias: false, dtype: F64), [1, 2, 5, 5]),
        new("conv2d dilated grouped", () => new Conv2d(4, 2, 3, new Generator(3), padding: 2, dtype: F64, dilation: 2, groups: 2), [1, 4, 5, 5]),
        new("layer norm", () => new LayerNorm(4, dtype: F64), [3, 4]),
        new("layer norm two axes no bias", () => new LayerNorm([2, 3], bias: false, dtype: F64), [2, 2, 3]),
        new("batchnorm1d batch [N, C]", () => new BatchNorm1d(3, dtype: F64), [4, 3]),
        new("batchnorm1d running train [N, C, L]", () => new BatchNorm1d(2, BatchNormStatistics.Running, dtype: F64), [3, 2, 4]),
        new("batchnorm2d batch", () => new BatchNorm2d(2, dtype: F64), [3, 2, 2, 2]),
        new("batchnorm2d batch eval", () => new BatchNorm2d(2, dtype: F64), [3, 2, 2, 2], Eval: true),
        new("batchnorm2d running train", () => new BatchNorm2d(2, BatchNormStatistics.Running, dtype: F64), [3, 2, 2, 2]),
        new("batchnorm2d running eval", () => new BatchNorm2d(2, BatchNormStatistics.Running, dtype: F64), [2, 2, 2, 2], Eval: true),
        new("max pool", () => new MaxPool2d(2), [2, 2, 4, 4]),
        new("max pool overlapping padded", () => new MaxPool2d(3, 1, 1), [1, 2, 3, 3]),
        new("avg pool", () => new AvgPool2d(2), [2, 2, 4, 4]),
        new("avg pool stride 1", () => new AvgPool2d(2, 1), [1, 2, 3, 3]),
        new("flatten", () => new Flatten(), [2, 2, 3]),
        new("dropout fixed mask", () => new Dropout(0.5, new Generator(4)), [3, 4]),
        new("relu", () => new Activation(ActivationKind.Relu), [2, 3], AwayFromZero: true),
        new("conv block", () => new ConvBlock(2, 3, new Generator(5), dtype: F64), [2, 2, 4, 4]),
        new("conv block running", () => new ConvBlock(1, 2, new Generator(6), BatchNormStatistics.Running, dtype: F64), [2, 1, 4, 4]),
        new("mlp tanh", () => Backbones.Mlp([3, 4, 2], ActivationKind.Tanh, new Generator(7), F64), [5, 3]),
        new("conv net", () => new ConvNet(3, new Generator(8), blocks: 2, hiddenChannels: 2, imageSize: 4, dtype: F64), [2, 1, 4, 4]),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesFiniteDifferencesToSecondOrder(LayerCase c)
    {
        var inputs = new List<Tensor>
        {
            c.AwayFromZero ? NNTestData.AwayFromZero(11, c.InputShape) : NNTestData.Uniform(11, c.InputShape),
        };

        // A fresh module per call: the dropout mask is then the same at every evaluation of the function.
        var probe = c.Create();
        if (c.Eval)
        {
            probe.Eval();
        }

        inputs.AddRange(probe.Parameters());
        Tensor Function(Tensor[] x)
        {
            var module = c.Create();
            if (c.Eval)
            {
                module.Eval();
            }

            return module.Forward(x[0], x[1..]);
        }

        NNTestData.AssertGradients(c.Name, Function, inputs);
    }
}
