using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;

namespace MetaLearn.Tensors.Tests.Autodiff;

/// <summary>Every primitive and composite, checked against finite differences to second order (the JAX/autograd table style).</summary>
public class OpGradientTests
{
    /// <summary>One row: a name, the function, input shapes, the input range (|x| in [low, high] when awayFromZero), and the order.</summary>
    public sealed record OpCase(string Name, Func<Tensor[], Tensor> Function, int[][] Shapes, double Low = -2, double High = 2, bool AwayFromZero = false, int Order = 2)
    {
        public override string ToString() => Name;
    }

    private static readonly int[] Row = [3];

    public static TheoryData<OpCase> Cases => new()
    {
        new("add", x => x[0] + x[1], [[2, 3], [2, 3]]),
        new("add broadcast row", x => x[0] + x[1], [[2, 3], [3]]),
        new("add broadcast both", x => x[0] + x[1], [[2, 1, 3], [4, 1]]),
        new("add scalar tensor", x => x[0] + x[1], [[2, 3], []]),
        new("sub broadcast", x => x[0] - x[1], [[3, 1], [1, 4]]),
        new("mul", x => x[0] * x[1], [[2, 3], [2, 3]]),
        new("mul broadcast", x => x[0] * x[1], [[2, 3, 4], [3, 1]]),
        new("div", x => x[0] / x[1], [[2, 3], [2, 3]], 0.5, 2, AwayFromZero: true),
        new("div broadcast", x => x[0] / x[1], [[4, 3], [3]], 0.5, 2, AwayFromZero: true),
        new("add constant", x => x[0] + 1.5, [[5]]),
        new("mul constant", x => 3.0 * x[0], [[5]]),
        new("constant minus", x => 2.0 - x[0], [[5]]),
        new("constant over", x => 2.0 / x[0], [[5]], 0.5, 2, AwayFromZero: true),
        new("neg", x => -x[0], [[2, 2]]),
        new("pow 3", x => x[0].Pow(3), [[2, 3]]),
        new("pow -1.5", x => x[0].Pow(-1.5), [[2, 3]], 0.5, 2),
        new("pow tensor", x => x[0].Pow(x[1]), [[2, 3], [2, 3]], 0.5, 2),
        new("square", x => x[0].Square(), [[4]]),
        new("exp", x => x[0].Exp(), [[2, 3]]),
        new("log", x => x[0].Log(), [[2, 3]], 0.3, 3),
        new("sqrt", x => x[0].Sqrt(), [[2, 3]], 0.3, 3),
        new("abs", x => x[0].Abs(), [[2, 3]], 0.2, 2, AwayFromZero: true),
        new("tanh", x => x[0].Tanh(), [[2, 3]]),
        new("sigmoid", x => x[0].Sigmoid(), [[2, 3]], -4, 4),
        new("relu", x => x[0].Relu(), [[2, 3]], 0.1, 2, AwayFromZero: true),
        new("leaky relu", x => x[0].LeakyRelu(0.1), [[2, 3]], 0.1, 2, AwayFromZero: true),
        new("softplus", x => x[0].Softplus(), [[2, 3]], -3, 3),
        new("maximum", x => x[0].Maximum(x[1]), [[2, 3], [2, 3]]),
        new("minimum broadcast", x => x[0].Minimum(x[1]), [[2, 3], [3]]),
        new("clamp", x => x[0].Clamp(-1, 1), [[6]], 0.1, 3, AwayFromZero: true),
        new("where", x => Tensor.Where(Tensor.FromArray(new double[] { 1, 0, 1 }, Row), x[0], x[1]), [[2, 3], [2, 3]]),
        new("sum all", x => x[0].Sum(), [[2, 3, 4]]),
        new("sum axis", x => x[0].Sum(1), [[2, 3, 4]]),
        new("sum axes keepdims", x => x[0].Sum([0, 2], keepDims: true) * x[0], [[2, 3, 4]]),
        new("mean", x => x[0].Mean(-1), [[3, 4]]),
        new("variance", x => x[0].Variance([0]), [[5, 3]]),
        new("max all", x => x[0].Max(), [[2, 3]]),
        new("max axis", x => x[0].Max(1), [[3, 4]]),
        new("max axis keepdims", x => x[0].Max(0, keepDims: true) * x[0], [[3, 4]]),
        new("min axis", x => x[0].Min(1), [[3, 4]]),
        new("reshape", x => x[0].Reshape(3, -1).Square(), [[2, 6]]),
        new("transpose", x => x[0].T * x[1], [[2, 3], [3, 2]]),
        new("permute", x => x[0].Permute(2, 0, 1).Square(), [[2, 3, 4]]),
        new("unsqueeze squeeze", x => x[0].Unsqueeze(1).Square().Squeeze(1), [[2, 3]]),
        new("broadcast to", x => x[0].BroadcastTo(4, 3).Square(), [[3]]),
        new("slice", x => x[0].Slice(1, 1, 4, 2).Square(), [[2, 5]]),
        new("index select repeats", x => x[0].IndexSelect(0, [2, 0, 2]).Square(), [[3, 2]]),
        new("gather", x => x[0].Gather(1, [2, 0, 1, 1], [2, 2]).Square(), [[2, 3]]),
        new("scatter add", x => x[0].ScatterAdd(1, [2, 0, 2, 2], [2, 3]).Square(), [[2, 2]]),
        new("concat", x => Tensor.Concat([x[0], x[1]], 1).Square(), [[2, 2], [2, 3]]),
        new("stack", x => Tensor.Stack([x[0], x[1]], 0) * Tensor.Stack([x[1], x[0]], 0), [[2, 3], [2, 3]]),
        new("matmul", x => Tensor.MatMul(x[0], x[1]).Square(), [[3, 4], [4, 2]]),
        new("matmul transposed", x => Tensor.MatMul(x[0], x[1], true, true).Square(), [[4, 3], [2, 4]]),
        new("matmul batched broadcast", x => Tensor.MatMul(x[0], x[1]).Square(), [[2, 3, 4], [4, 2]]),
        new("matmul batched both", x => Tensor.MatMul(x[0], x[1], false, true).Square(), [[2, 1, 3, 4], [3, 2, 4]]),
        new("log softmax", x => Functional.LogSoftmax(x[0], 1) * x[1], [[3, 4], [3, 4]]),
        new("softmax", x => Functional.Softmax(x[0], 0) * x[1], [[3, 4], [3, 4]]),
        new("logsumexp", x => Functional.LogSumExp(x[0], -1), [[3, 4]]),
        new("linear", x => Functional.Linear(x[0], x[1], x[2]).Tanh(), [[4, 3], [2, 3], [2]]),
        new("linear vector input", x => Functional.Linear(x[0], x[1], x[2]).Tanh(), [[3], [2, 3], [2]]),
        new("linear leading axes no bias", x => Functional.Linear(x[0], x[1]).Tanh(), [[2, 4, 3], [2, 3]]),
        new("linear leading axes bias", x => Functional.Linear(x[0], x[1], x[2]).Square(), [[3, 2, 3], [2, 3], [2]]),
        new("linear per task", x => Functional.Linear(x[0], x[1], x[2]).Tanh(), [[2, 4, 3], [2, 5, 3], [2, 5]]),
        new("linear per task no bias", x => Functional.Linear(x[0], x[1]).Square(), [[3, 2, 4], [3, 2, 4]]),
        new("linear relu", x => Functional.LinearRelu(x[0], x[1], x[2]).Square(), [[4, 3], [5, 3], [5]], 0.2, 2, AwayFromZero: true),
        new("linear relu per task", x => Functional.LinearRelu(x[0], x[1], x[2]).Square(), [[2, 3, 3], [2, 4, 3], [2, 4]], 0.2, 2, AwayFromZero: true),
        new("mse", x => MetaLearn.Tensors.Ops.MeanSquaredError.Apply(x[0], x[1]), [[3, 4], [3, 4]]),
        new("mse times input", x => MetaLearn.Tensors.Ops.MeanSquaredError.Apply(x[0].Tanh(), x[1]) * x[1].Sum(), [[2, 3, 1], [2, 3, 1]]),
        new("add scaled", x => MetaLearn.Tensors.Ops.AddScaled.Apply(x[0], x[1], -0.3) * x[1], [[2, 3], [2, 3]]),
        new("conv2d", x => Functional.Conv2d(x[0], x[1], x[2], 1, 1).Square(), [[2, 2, 4, 4], [3, 2, 3, 3], [3]], Order: 2),
        new("conv2d stride 2", x => Functional.Conv2d(x[0], x[1], null, 2, 0).Tanh(), [[1, 2, 5, 5], [2, 2, 3, 3]]),
        new("max pool", x => Functional.MaxPool2d(x[0], 2).Square(), [[2, 2, 4, 4]]),
        new("max pool padded stride 1", x => Functional.MaxPool2d(x[0], 3, 1, 1).Square(), [[1, 1, 3, 3]]),
        new("avg pool", x => Functional.AvgPool2d(x[0], 2).Square(), [[2, 2, 4, 4]]),
        new("cast", x => x[0].AsType(DType.Float32).AsType(DType.Float64).Square(), [[3]], Order: 1),
        new("used twice", x => (x[0] * x[0]) + x[0].Exp(), [[3]]),
        new("mean axes", x => x[0].Mean([0, 2]), [[2, 3, 4]]),
        new("min all", x => x[0].Min(), [[2, 3]]),
        new("variance unbiased keepdims", x => x[0].Variance([1], keepDims: true, unbiased: true) * x[0], [[3, 4]]),
        new("gather axis 0", x => x[0].Gather(0, [1, 0, 1], [1, 3]).Square(), [[2, 3]]),
        new("matmul transposed a batched", x => Tensor.MatMul(x[0], x[1], true, false).Square(), [[2, 4, 3], [2, 4, 2]]),
        new("logsumexp axis 0 keepdims", x => Functional.LogSumExp(x[0], 0, keepDims: true) * x[0], [[3, 4]]),
        new("conv2d stride 2 padded bias", x => Functional.Conv2d(x[0], x[1], x[2], 2, 1).Square(), [[1, 2, 5, 5], [2, 2, 3, 3], [2]]),
        new("avg pool padded stride 1", x => Functional.AvgPool2d(x[0], 3, 1, 1).Square(), [[1, 2, 4, 4]]),
        new("max pool odd size", x => Functional.MaxPool2d(x[0], 2).Square(), [[1, 2, 5, 5]]),
        new("max pool overlapping", x => Functional.MaxPool2d(x[0], 3, 2).Square(), [[1, 1, 5, 5]]),
        new("batch norm", x => Functional.BatchNorm(x[0], x[1], x[2]).Tanh(), [[3, 2, 2, 2], [2], [2]]),
        new("batch norm relu", x => Functional.BatchNorm(x[0], x[1], x[2], relu: true).Square() * x[0], [[3, 2, 2, 2], [2], [2]]),
        new("batch norm 1d", x => Functional.BatchNorm(x[0], x[1], x[2]).Square() * x[0], [[5, 3], [3], [3]]),
        new("batch norm relu max pool", x => Functional.BatchNormReluMaxPool2d(x[0], x[1], x[2], 2).Square(), [[2, 2, 4, 5], [2], [2]]),
        new("batch norm relu max pool overlapping", x => Functional.BatchNormReluMaxPool2d(x[0], x[1], x[2], 3, 2, 1).Square(), [[2, 2, 5, 5], [2], [2]]),
        new("elu", x => x[0].Elu(1.3), [[2, 3]], 0.1, 2, AwayFromZero: true),
        new("softplus beta threshold", x => x[0].Softplus(2, 3), [[3, 4]], -3, 3),
        new("sum all keepdims", x => x[0].Sum(keepDims: true) * x[0], [[2, 3]]),
        new("mean all keepdims", x => x[0].Mean(keepDims: true) * x[0], [[2, 3]]),
        new("max all keepdims", x => x[0].Max(keepDims: true) * x[0], [[2, 3]]),
        new("min all keepdims", x => x[0].Min(keepDims: true) * x[0], [[3, 2]]),
        new("layer norm", x => Functional.LayerNorm(x[0], [4], x[1], x[2]).Tanh(), [[3, 4], [4], [4]]),
        new("layer norm two axes no affine", x => Functional.LayerNorm(x[0], [2, 3]).Square() * x[0], [[2, 2, 3]]),
        new("conv2d dilated", x => Functional.Conv2d(x[0], x[1], x[2], 1, 2, dilation: 2).Square(), [[1, 2, 5, 5], [3, 2, 3, 3], [3]]),
        new("conv2d grouped", x => Functional.Conv2d(x[0], x[1], x[2], 1, 1, groups: 2).Square(), [[2, 4, 4, 4], [4, 2, 3, 3], [4]]),
        new("conv2d depthwise dilated stride 2", x => Functional.Conv2d(x[0], x[1], null, 2, 1, dilation: 2, groups: 3).Tanh(), [[1, 3, 6, 5], [3, 1, 2, 2]]),
        new("solve spd", x => Tensor.SolveSpd(Spd(x[0]), x[1]).Tanh(), [[3, 3], [3, 2]]),
        new("solve spd batched", x => Tensor.SolveSpd(Spd(x[0]), x[1]).Square(), [[2, 3, 3], [2, 3, 2]]),
        new("solve spd shared matrix", x => Tensor.SolveSpd(Spd(x[0]), x[1]).Tanh(), [[3, 3], [2, 3, 1]]),
        new("solve spd shared right-hand side", x => Tensor.SolveSpd(Spd(x[0]), x[1]) * x[1], [[2, 1, 2, 2], [3, 2, 2]]),
    };

    /// <summary>M·Mᵀ + 2I: symmetric positive definite for any M [..., n, n], so finite differences of M stay in the op's domain.</summary>
    private static Tensor Spd(Tensor m)
    {
        return Tensor.MatMul(m, m, transposeB: true) + (Tensor.Identity(m.Shape[^1], DType.Float64) * 2.0);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesFiniteDifferences(OpCase c)
    {
        var inputs = new Tensor[c.Shapes.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = c.AwayFromZero
                ? TestData.AwayFromZero((ulong)(17 + i), c.Shapes[i], c.Low, c.High)
                : TestData.Uniform((ulong)(17 + i), c.Shapes[i], c.Low, c.High);
        }

        var options = c.Name == "cast" ? new GradientCheckOptions { Epsilon = 1e-3, AbsoluteTolerance = 1e-3, RelativeTolerance = 1e-3 } : null;
        var result = GradientChecker.Check(c.Function, inputs, c.Order, options);
        Assert.True(result.Passed, $"{c.Name}: {result.Failure}");
    }
}
