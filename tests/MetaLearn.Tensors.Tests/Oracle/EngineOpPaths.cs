using MetaLearn.Testing.Oracle;

namespace MetaLearn.Tensors.Tests.Oracle;

/// <summary>
/// Every way the engine offers to compute the op of a libtorch case: the method and the operator, the fused op and the
/// composite it replaces, the reduction over one axis and over a list of axes, and so on. Each path must match the case.
/// </summary>
internal static class EngineOpPaths
{
    private const DType F64 = DType.Float64;

    public static IReadOnlyList<(string Path, Func<Tensor[], Tensor> Function)> For(OracleCase c) => c.Op switch
    {
        "add" => [P("a + b", x => x[0] + x[1]), P("Add", x => x[0].Add(x[1]))],
        "sub" => [P("a - b", x => x[0] - x[1]), P("Subtract", x => x[0].Subtract(x[1])), P("a + -b", x => x[0] + (-x[1]))],
        "mul" => [P("a * b", x => x[0] * x[1]), P("Multiply", x => x[0].Multiply(x[1]))],
        "div" => [P("a / b", x => x[0] / x[1]), P("Divide", x => x[0].Divide(x[1])), P("a * b^-1", x => x[0] * x[1].Pow(-1))],
        "neg" => [P("-x", x => -x[0]), P("Negate", x => x[0].Negate()), P("x * -1", x => x[0] * -1.0)],
        "exp" => [P("Exp", x => x[0].Exp())],
        "log" => [P("Log", x => x[0].Log())],
        "sqrt" => [P("Sqrt", x => x[0].Sqrt()), P("Pow(0.5)", x => x[0].Pow(0.5))],
        "abs" => [P("Abs", x => x[0].Abs())],
        "pow" => [P("Pow", x => x[0].Pow(c.Double("p"))), c.Double("p") == 3 ? P("x * x * x", x => x[0] * x[0] * x[0]) : P("Sqrt", x => x[0].Sqrt())],
        "tanh" => [P("Tanh", x => x[0].Tanh()), P("2σ(2x) - 1", x => ((x[0] * 2.0).Sigmoid() * 2.0) - 1.0)],
        "sigmoid" => [P("Sigmoid", x => x[0].Sigmoid()), P("1 / (1 + e^-x)", x => 1.0 / ((-x[0]).Exp() + 1.0))],
        "relu" => [P("Relu", x => x[0].Relu()), P("Maximum(x, 0)", x => x[0].Maximum(Tensor.Scalar(0, F64))), P("Clamp(0, ∞)", x => x[0].Clamp(0, double.PositiveInfinity))],
        "leaky_relu" => [P("LeakyRelu", x => x[0].LeakyRelu(c.Double("negative_slope"))), P("Maximum(x, slope·x)", x => x[0].Maximum(x[0] * c.Double("negative_slope")))],
        "maximum" => [P("Maximum", x => x[0].Maximum(x[1]))],
        "minimum" => [P("Minimum", x => x[0].Minimum(x[1])), P("-Maximum(-a, -b)", x => -(-x[0]).Maximum(-x[1]))],
        "square" => [P("Square", x => x[0].Square()), P("x * x", x => x[0] * x[0]), P("Pow(2)", x => x[0].Pow(2))],
        "softplus" => [P("Softplus", x => x[0].Softplus(c.Double("beta"), c.Double("threshold")))],
        "elu" => [P("Elu", x => x[0].Elu(c.Double("alpha")))],
        "clamp" => [P("Clamp", x => x[0].Clamp(c.Double("min"), c.Double("max"))), P("Maximum then Minimum", x => x[0].Maximum(Tensor.Scalar(c.Double("min"), F64)).Minimum(Tensor.Scalar(c.Double("max"), F64)))],
        "sum" => Reduction(c, (t, keep) => t.Sum(keep), (t, axis, keep) => t.Sum(axis, keep), (t, axes, keep) => t.Sum(axes, keep)),
        "mean" => [.. Reduction(c, (t, keep) => t.Mean(keep), (t, axis, keep) => t.Mean(axis, keep), (t, axes, keep) => t.Mean(axes, keep)), P("Sum / n", x => c.Has("axis") ? x[0].Sum(c.Int("axis"), c.Bool("keepdim")) / x[0].Shape[c.Int("axis")] : x[0].Sum(c.Bool("keepdim")) / x[0].Count)],
        "max" => [.. Reduction(c, (t, keep) => t.Max(keep), (t, axis, keep) => t.Max(axis, keep), (t, axes, keep) => t.Max(axes, keep)), P("-Min(-x)", x => -(-x[0]).Min(c.Int("axis"), c.Bool("keepdim")))],
        "logsumexp" => [P("LogSumExp", x => Functional.LogSumExp(x[0], c.Int("axis"), c.Bool("keepdim"))), P("Log(Sum(Exp))", x => x[0].Exp().Sum(c.Int("axis"), c.Bool("keepdim")).Log())],
        "reshape" => [P("Reshape", x => x[0].Reshape(c.Ints("shape"))), P("Reshape(-1, ...)", x => x[0].Reshape([-1, .. c.Ints("shape")[1..]]))],
        "transpose" => [P("Transpose", x => x[0].Transpose(c.Int("dim0"), c.Int("dim1"))), P("T", x => x[0].T), P("Permute", x => x[0].Permute(1, 0))],
        "permute" => [P("Permute", x => x[0].Permute(c.Ints("dims")))],
        "concat" => [P("Concat", x => Tensor.Concat(x, c.Int("axis")))],
        "stack" => [P("Stack", x => Tensor.Stack(x, c.Int("axis"))), P("Concat of Unsqueeze", x => Tensor.Concat([.. x.Select(t => t.Unsqueeze(c.Int("axis")))], c.Int("axis")))],
        "slice" => [P("Slice", x => x[0].Slice(c.Int("axis"), c.Int("start"), c.Int("start") + c.Int("length"))), P("IndexSelect", x => x[0].IndexSelect(c.Int("axis"), [.. Enumerable.Range(c.Int("start"), c.Int("length"))]))],
        "gather" => [P("Gather", x => x[0].Gather(c.Int("axis"), c.Array("index").ToIndices(), c.Array("index").Shape))],
        "expand" => [P("BroadcastTo", x => x[0].BroadcastTo(c.Ints("shape"))), P("x * ones", x => x[0] * Tensor.Ones(c.Ints("shape"), F64))],
        "matmul" =>
        [
            P("MatMul", x => Tensor.MatMul(x[0], x[1])),
            P("a.MatMul(b)", x => x[0].MatMul(x[1])),
            P("transposed flags", x => Tensor.MatMul(x[0].Transpose(-2, -1), x[1].Transpose(-2, -1), transposeA: true, transposeB: true)),
        ],
        "softmax" => [P("Softmax", x => Functional.Softmax(x[0], c.Int("axis"))), P("Exp(LogSoftmax)", x => Functional.LogSoftmax(x[0], c.Int("axis")).Exp())],
        "log_softmax" => [P("LogSoftmax", x => Functional.LogSoftmax(x[0], c.Int("axis"))), P("Log(Softmax)", x => Functional.Softmax(x[0], c.Int("axis")).Log())],
        "conv2d" =>
        [
            P("Conv2d", x => Functional.Conv2d(x[0], x[1], x[2], c.Int("stride"), c.Int("padding"), c.Int("dilation"), c.Int("groups"))),
            P("Conv2d without bias + bias", x => Functional.Conv2d(x[0], x[1], null, c.Int("stride"), c.Int("padding"), c.Int("dilation"), c.Int("groups")) + x[2].Reshape(1, -1, 1, 1)),
        ],
        "max_pool2d" => [P("MaxPool2d", x => Functional.MaxPool2d(x[0], c.Int("kernel_size"), c.Int("stride"), c.Int("padding")))],
        "avg_pool2d" => [P("AvgPool2d", x => Functional.AvgPool2d(x[0], c.Int("kernel_size"), c.Int("stride"), c.Int("padding")))],
        "batch_norm" => BatchNormPaths(c.Double("eps")),
        "layer_norm" =>
        [
            P("LayerNorm", x => Functional.LayerNorm(x[0], c.Ints("normalized_shape"), x[1], x[2], c.Double("eps"))),
            P("LayerNorm without affine, then affine", x => (Functional.LayerNorm(x[0], c.Ints("normalized_shape"), epsilon: c.Double("eps")) * x[1]) + x[2]),
        ],
        "linear" =>
        [
            P("Linear", x => Functional.Linear(x[0], x[1], x[2])),
            P("MatMul + bias", x => Tensor.MatMul(x[0], x[1], transposeB: true) + x[2]),
            P("fused linear-ReLU, relu(y) - relu(-y)", x => Functional.LinearRelu(x[0], x[1], x[2]) - Functional.LinearRelu(x[0], -x[1], -x[2])),
        ],
        _ => [],
    };

    /// <summary>Batch norm as one op, through its fused ReLU and ReLU-max-pool forms (relu(y) − relu(−y) = y), and from primitives.</summary>
    private static IReadOnlyList<(string, Func<Tensor[], Tensor>)> BatchNormPaths(double epsilon)
    {
        static Tensor Image(Tensor t) => t.Rank == 4 ? t : t.Reshape([.. t.Shape, .. Enumerable.Repeat(1, 4 - t.Rank)]);
        return
        [
            P("BatchNorm", x => Functional.BatchNorm(x[0], x[1], x[2], epsilon)),
            P("fused batch norm-ReLU, relu(y) - relu(-y)", x => Functional.BatchNorm(x[0], x[1], x[2], epsilon, relu: true) - Functional.BatchNorm(x[0], -x[1], -x[2], epsilon, relu: true)),
            P("fused batch norm-ReLU-max-pool (window 1), relu(y) - relu(-y)", x => (Functional.BatchNormReluMaxPool2d(Image(x[0]), x[1], x[2], 1, epsilon: epsilon) - Functional.BatchNormReluMaxPool2d(Image(x[0]), -x[1], -x[2], 1, epsilon: epsilon)).Reshape([.. x[0].Shape])),
            P("primitives", x =>
            {
                int[] axes = [0, .. Enumerable.Range(2, x[0].Rank - 2)];
                int[] channel = [1, -1, .. Enumerable.Repeat(1, x[0].Rank - 2)];
                var centered = x[0] - x[0].Mean(axes, keepDims: true);
                var variance = centered.Square().Mean(axes, keepDims: true);
                return (centered / (variance + epsilon).Sqrt() * x[1].Reshape(channel)) + x[2].Reshape(channel);
            }),
        ];
    }

    /// <summary>A reduction over all axes, one axis, or the list of that one axis (and over all axes as a list).</summary>
    private static IReadOnlyList<(string, Func<Tensor[], Tensor>)> Reduction(OracleCase c, Func<Tensor, bool, Tensor> all, Func<Tensor, int, bool, Tensor> one, Func<Tensor, int[], bool, Tensor> list)
    {
        bool keep = c.Bool("keepdim");
        if (!c.Has("axis"))
        {
            return [P("over all axes", x => all(x[0], keep)), P("over the list of all axes", x => list(x[0], [.. Enumerable.Range(0, x[0].Rank)], keep))];
        }

        int axis = c.Int("axis");
        return [P("over one axis", x => one(x[0], axis, keep)), P("over a list of one axis", x => list(x[0], [axis], keep))];
    }

    private static (string, Func<Tensor[], Tensor>) P(string path, Func<Tensor[], Tensor> function) => (path, function);
}
