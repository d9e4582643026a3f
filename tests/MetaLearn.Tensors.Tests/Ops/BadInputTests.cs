using MetaLearn.Tensors;

namespace MetaLearn.Tensors.Tests.Ops;

/// <summary>
/// Invalid arguments must fail early with an <see cref="ArgumentException"/> (or a subclass) whose message names the op and the
/// shapes involved — never with an IndexOutOfRangeException or NullReferenceException from deep inside a kernel.
/// </summary>
public class BadInputTests
{
    public sealed record BadCase(string Name, Action Act, string[] Fragments)
    {
        public override string ToString() => Name;
    }

    private static Tensor F32(params int[] shape) => Tensor.Ones(shape);

    private static Tensor F64(params int[] shape) => Tensor.Ones(shape, DType.Float64);

    public static TheoryData<BadCase> Cases => new()
    {
        // Elementwise with broadcasting.
        new("add mismatched", () => _ = F32(2, 3) + F32(4), ["add", "[2, 3]", "[4]"]),
        new("sub mismatched", () => _ = F32(2, 3) - F32(3, 2), ["sub", "[2, 3]", "[3, 2]"]),
        new("mul mismatched", () => _ = F32(5) * F32(2, 4), ["mul", "[5]", "[2, 4]"]),
        new("div mismatched", () => _ = F32(2, 1, 3) / F32(2, 2), ["div", "[2, 1, 3]", "[2, 2]"]),
        new("maximum mismatched", () => F32(3).Maximum(F32(4)), ["maximum", "[3]", "[4]"]),
        new("minimum mismatched", () => F32(3).Minimum(F32(4)), ["minimum", "[3]", "[4]"]),
        new("add mixed dtypes", () => _ = F32(2, 3) + F64(2, 3), ["add", "[2, 3]", "Float32", "Float64"]),
        new("mul mixed dtypes", () => _ = F64(3) * F32(3), ["mul", "Float64", "Float32"]),
        new("maximum mixed dtypes", () => F64(3).Maximum(F32(3)), ["maximum", "Float64", "Float32"]),
        new("add null", () => _ = F32(2) + (Tensor)null!, []),
        new("broadcast_to incompatible", () => F32(2, 3).BroadcastTo(4, 3), ["broadcast_to", "[2, 3]", "[4, 3]"]),
        new("broadcast_to lower rank", () => F32(2, 3).BroadcastTo(3), ["broadcast_to", "[2, 3]", "[3]"]),
        new("broadcast_to negative", () => F32(3).BroadcastTo(-1, 3), ["BroadcastTo", "[-1, 3]"]),
        new("where mismatched", () => Tensor.Where(F32(3), F32(2, 3), F32(4)), ["where", "[4]"]),
        new("where mixed dtypes", () => Tensor.Where(F32(3), F64(3), F64(3)), ["where", "Float32", "Float64"]),
        new("clamp min above max", () => F32(3).Clamp(1, -1), ["Clamp", "1", "-1"]),
        new("clamp NaN", () => F32(3).Clamp(double.NaN, 1), ["Clamp"]),

        // Matrix products.
        new("matmul inner mismatch", () => Tensor.MatMul(F32(2, 3), F32(4, 5)), ["matmul", "[2, 3]", "[4, 5]"]),
        new("matmul transposed mismatch", () => Tensor.MatMul(F32(2, 3), F32(4, 5), transposeB: true), ["matmul", "[2, 3]", "[4, 5]"]),
        new("matmul rank 1", () => Tensor.MatMul(F32(3), F32(3, 2)), ["matmul", "[3]", "[3, 2]"]),
        new("matmul batch mismatch", () => Tensor.MatMul(F32(2, 2, 3), F32(3, 3, 4)), ["matmul", "[2, 2, 3]", "[3, 3, 4]"]),
        new("matmul mixed dtypes", () => Tensor.MatMul(F32(2, 3), F64(3, 2)), ["matmul", "[2, 3]", "[3, 2]", "Float32", "Float64"]),
        new("matmul null", () => Tensor.MatMul(F32(2, 2), null!), []),
        new("linear mismatch", () => Functional.Linear(F32(4, 3), F32(2, 5)), ["linear", "[4, 3]", "[2, 5]"]),
        new("linear weight rank", () => Functional.Linear(F32(4, 3), F32(3)), ["linear", "[4, 3]", "[3]"]),
        new("linear bias", () => Functional.Linear(F32(4, 3), F32(2, 3), F32(3)), ["linear", "bias", "[3]"]),
        new("linear mixed dtypes", () => Functional.Linear(F32(4, 3), F64(2, 3)), ["linear", "Float32", "Float64"]),
        new("linear bias mixed dtypes", () => Functional.Linear(F32(4, 3), F32(2, 3), F64(2)), ["linear", "Float32", "Float64"]),
        new("linear per task count", () => Functional.Linear(F32(3, 4, 3), F32(2, 5, 3)), ["linear", "[3, 4, 3]", "[2, 5, 3]"]),
        new("linear per task input rank", () => Functional.Linear(F32(4, 3), F32(2, 5, 3)), ["linear", "[4, 3]", "[2, 5, 3]"]),
        new("linear per task bias", () => Functional.Linear(F32(2, 4, 3), F32(2, 5, 3), F32(5)), ["linear", "bias", "[5]"]),
        new("mse mismatched", () => MetaLearn.Tensors.Ops.MeanSquaredError.Apply(F32(2, 3), F32(3, 2)), ["mse", "[2, 3]", "[3, 2]"]),
        new("mse empty", () => MetaLearn.Tensors.Ops.MeanSquaredError.Apply(F32(0, 3), F32(0, 3)), ["mse", "[0, 3]"]),
        new("mse mixed dtypes", () => MetaLearn.Tensors.Ops.MeanSquaredError.Apply(F32(3), F64(3)), ["mse", "Float32", "Float64"]),
        new("add scaled mismatched", () => MetaLearn.Tensors.Ops.AddScaled.Apply(F32(2, 3), F32(3), 2), ["add_scaled", "[2, 3]", "[3]"]),
        new("add scaled mixed dtypes", () => MetaLearn.Tensors.Ops.AddScaled.Apply(F32(3), F64(3), 2), ["add_scaled", "Float32", "Float64"]),
        new("linear relu mismatch", () => Functional.LinearRelu(F32(4, 3), F32(2, 5)), ["linear", "[4, 3]", "[2, 5]"]),
        new("linear per task bias tasks", () => Functional.Linear(F32(2, 4, 3), F32(2, 5, 3), F32(3, 5)), ["linear", "bias", "[3, 5]"]),
        new("solve spd not square", () => Tensor.SolveSpd(F64(2, 3), F64(2, 1)), ["solve_spd", "[2, 3]", "'a'"]),
        new("solve spd rank 1", () => Tensor.SolveSpd(F64(2, 2), F64(2)), ["solve_spd", "[2]", "'b'"]),
        new("solve spd rows", () => Tensor.SolveSpd(F64(2, 2), F64(3, 1)), ["solve_spd", "[2, 2]", "[3, 1]", "'b'"]),
        new("solve spd batch mismatch", () => Tensor.SolveSpd(F64(2, 3, 3), F64(4, 3, 1)), ["solve_spd", "[2, 3, 3]", "[4, 3, 1]"]),
        new("solve spd mixed dtypes", () => Tensor.SolveSpd(F32(2, 2), F64(2, 1)), ["solve_spd", "Float32", "Float64"]),
        new("solve spd not positive definite", () => Tensor.SolveSpd(F64(2, 2), F64(2, 1)), ["solve_spd", "positive definite", "column 1", "'a'"]),
        new("solve spd not symmetric", () => Tensor.SolveSpd(Tensor.FromArray(new double[] { 2, 1, 0, 2 }, 2, 2), F64(2, 1)),
            ["solve_spd", "not symmetric", "[1, 0]", "'a'"]),
        new("solve spd null", () => Tensor.SolveSpd(null!, F64(2, 1)), []),

        // Convolution and pooling.
        new("conv2d channel mismatch", () => Functional.Conv2d(F32(1, 2, 4, 4), F32(3, 1, 3, 3)), ["conv2d", "[1, 2, 4, 4]", "[3, 1, 3, 3]"]),
        new("conv2d input rank", () => Functional.Conv2d(F32(2, 4, 4), F32(3, 2, 3, 3)), ["conv2d", "[2, 4, 4]", "[3, 2, 3, 3]"]),
        new("conv2d weight rank", () => Functional.Conv2d(F32(1, 2, 4, 4), F32(3, 2, 3)), ["conv2d", "[1, 2, 4, 4]", "[3, 2, 3]"]),
        new("conv2d bias", () => Functional.Conv2d(F32(1, 2, 4, 4), F32(3, 2, 3, 3), F32(5)), ["conv2d", "bias", "[5]"]),
        new("conv2d kernel too large", () => Functional.Conv2d(F32(1, 1, 2, 2), F32(1, 1, 3, 3)), ["conv2d", "[1, 1, 2, 2]"]),
        new("conv2d zero stride", () => Functional.Conv2d(F32(1, 1, 4, 4), F32(1, 1, 3, 3), stride: 0), ["conv2d", "stride"]),
        new("conv2d negative padding", () => Functional.Conv2d(F32(1, 1, 4, 4), F32(1, 1, 3, 3), padding: -1), ["conv2d", "padding"]),
        new("conv2d mixed dtypes", () => Functional.Conv2d(F32(1, 1, 4, 4), F64(1, 1, 3, 3)), ["conv2d", "[1, 1, 4, 4]", "[1, 1, 3, 3]", "Float32", "Float64"]),
        new("max_pool2d rank", () => Functional.MaxPool2d(F32(1, 4, 4), 2), ["max_pool2d", "[1, 4, 4]"]),
        new("max_pool2d padding", () => Functional.MaxPool2d(F32(1, 1, 4, 4), 2, 1, 2), ["max_pool2d", "padding"]),
        new("max_pool2d kernel too large", () => Functional.MaxPool2d(F32(1, 1, 2, 2), 3), ["max_pool2d", "[1, 1, 2, 2]"]),
        new("avg_pool2d zero kernel", () => Functional.AvgPool2d(F32(1, 1, 4, 4), 0), ["avg_pool2d"]),
        new("avg_pool2d zero stride", () => Functional.AvgPool2d(F32(1, 1, 4, 4), 2, 0), ["avg_pool2d", "stride"]),

        // Shapes and layout.
        new("reshape wrong count", () => F32(2, 3).Reshape(4, 2), ["reshape", "[2, 3]", "[4, 2]"]),
        new("reshape two inferred", () => F32(2, 3).Reshape(-1, -1), ["reshape", "-1"]),
        new("reshape negative", () => F32(2, 3).Reshape(-2, -3), ["reshape", "negative"]),
        new("reshape cannot infer", () => F32(2, 3).Reshape(4, -1), ["reshape", "[4, -1]", "[2, 3]"]),
        new("permute wrong length", () => F32(2, 3).Permute(0), ["permute", "[2, 3]"]),
        new("permute repeated axis", () => F32(2, 3).Permute(1, 1), ["permute", "twice"]),
        new("permute axis out of range", () => F32(2, 3).Permute(0, 2), ["permute", "2"]),
        new("transpose axis out of range", () => F32(2, 3).Transpose(0, 2), ["Transpose", "2"]),
        new("squeeze non-unit axis", () => F32(2, 3).Squeeze(0), ["Squeeze", "[2, 3]"]),
        new("squeeze axis out of range", () => F32(2, 1).Squeeze(2), ["Squeeze", "2"]),
        new("unsqueeze axis out of range", () => F32(2).Unsqueeze(3), ["Unsqueeze", "3"]),
        new("flatten axis out of range", () => F32(2, 3).Flatten(2), ["Flatten", "2"]),
        new("slice out of range", () => F32(2, 3).Slice(1, 0, 5), ["Slice", "[2, 3]"]),
        new("slice start past end", () => F32(2, 3).Slice(1, 2, 1), ["Slice", "[2, 3]"]),
        new("slice too negative", () => F32(4).Slice(0, -5, 2), ["Slice", "[4]"]),
        new("slice zero step", () => F32(4).Slice(0, 0, 4, 0), ["Slice", "step"]),
        new("slice axis", () => F32(4).Slice(1, 0, 1), ["Slice", "axis 1"]),
        new("index_select out of range", () => F32(3, 2).IndexSelect(0, [0, 3]), ["index_select", "3", "[3, 2]"]),
        new("index_select negative", () => F32(3, 2).IndexSelect(1, [-1]), ["index_select", "-1", "[3, 2]"]),
        new("gather index out of range", () => F32(2, 3).Gather(1, [0, 5, 1, 1], [2, 2]), ["gather", "5", "[2, 3]"]),
        new("gather index shape", () => F32(2, 3).Gather(1, [0, 1, 1, 1], [4, 1]), ["gather", "[4, 1]", "[2, 3]"]),
        new("gather index rank", () => F32(2, 3).Gather(1, [0, 1], [2]), ["gather", "[2]", "[2, 3]"]),
        new("gather index count", () => F32(2, 3).Gather(1, [0, 1, 1], [2, 2]), ["gather", "[2, 2]"]),
        new("gather axis", () => F32(2, 3).Gather(2, [0], [1, 1]), ["gather", "axis 2"]),
        new("gather null index", () => F32(2, 3).Gather(1, null!, [2, 2]), []),
        new("scatter_add index out of range", () => F32(2, 2).ScatterAdd(1, [0, 3, 1, 1], [2, 3]), ["scatter_add", "3", "[2, 3]"]),
        new("scatter_add shape", () => F32(2, 2).ScatterAdd(1, [0, 1, 1, 1], [3, 3]), ["scatter_add", "[2, 2]", "[3, 3]"]),
        new("scatter_add negative shape", () => F32(2, 2).ScatterAdd(1, [0, 1, 1, 1], [2, -3]), ["ScatterAdd", "[2, -3]"]),
        new("scatter_add null index", () => F32(2, 2).ScatterAdd(1, null!, [2, 3]), []),
        new("concat mismatched", () => Tensor.Concat([F32(2, 3), F32(3, 3)], 1), ["concat", "[2, 3]", "[3, 3]"]),
        new("concat rank mismatch", () => Tensor.Concat([F32(2, 3), F32(2)]), ["concat", "[2, 3]", "[2]"]),
        new("concat mixed dtypes", () => Tensor.Concat([F32(2), F64(2)]), ["concat", "Float32", "Float64"]),
        new("concat axis", () => Tensor.Concat([F32(2), F32(2)], 1), ["concat", "axis 1"]),
        new("concat empty", () => Tensor.Concat([]), ["concat"]),
        new("concat scalars", () => Tensor.Concat([Tensor.Scalar(1), Tensor.Scalar(2)]), ["concat", "Stack"]),
        new("stack mismatched", () => Tensor.Stack([F32(2, 3), F32(3, 2)]), ["Stack", "[2, 3]", "[3, 2]"]),
        new("stack empty", () => Tensor.Stack([]), ["Stack"]),

        // Reductions.
        new("sum axis out of range", () => F32(2, 3).Sum(2), ["sum", "axis 2", "rank 2"]),
        new("sum negative axis out of range", () => F32(2, 3).Sum(-3), ["sum", "axis -3"]),
        new("sum repeated axes", () => F32(2, 3).Sum([1, -1]), ["sum", "twice"]),
        new("sum no axes", () => F32(2, 3).Sum(Array.Empty<int>()), ["Sum"]),
        new("mean axis out of range", () => F32(2, 3).Mean(5), ["axis 5"]),
        new("max axis out of range", () => F32(2, 3).Max(2), ["max", "axis 2"]),
        new("max over empty axis", () => F32(0, 3).Max(0), ["max", "[0, 3]"]),
        new("max of empty tensor", () => F32(0).Max(), ["max", "[0]"]),
        new("argmax axis", () => F32(2, 3).ArgMax(2), ["ArgMax", "axis 2"]),
        new("variance axis", () => F32(2, 3).Variance([2]), ["axis 2"]),

        // Creation and element access.
        new("zeros negative", () => Tensor.Zeros(2, -1), ["Zeros", "[2, -1]"]),
        new("zeros negative float64", () => Tensor.Zeros([-3], DType.Float64), ["Zeros", "[-3]"]),
        new("ones negative", () => Tensor.Ones(-1), ["[-1]"]),
        new("full negative", () => Tensor.Full([1, -2], 3), ["Full", "[1, -2]"]),
        new("from array wrong count", () => Tensor.FromArray(new float[5], 2, 2), ["5", "[2, 2]"]),
        new("from array negative", () => Tensor.FromArray(new double[2], -2), ["[-2]"]),
        new("from array null", () => Tensor.FromArray((double[])null!, 2), []),
        new("from array null shape", () => Tensor.FromArray(new double[2], null!), []),
        new("too many elements", () => Tensor.Zeros(65536, 65536), ["[65536, 65536]"]),
        new("arange zero step", () => Tensor.Arange(0, 5, 0), ["Arange", "step"]),
        new("arange NaN", () => Tensor.Arange(double.NaN, 5), ["Arange"]),
        new("arange infinite", () => Tensor.Arange(0, double.PositiveInfinity), ["Arange"]),
        new("random normal negative std", () => Tensor.RandomNormal(new Generator(1), [2], 0, -1), ["RandomNormal", "std"]),
        new("random normal negative shape", () => Tensor.RandomNormal(new Generator(1), [-2]), ["RandomNormal", "[-2]"]),
        new("random uniform reversed", () => Tensor.RandomUniform(new Generator(1), [2], 1, 0), ["RandomUniform"]),
        new("random null generator", () => Tensor.RandomUniform(null!, [2]), []),
        new("next int zero", () => new Generator(1).NextInt(0), ["NextInt"]),
        new("get value wrong rank", () => F32(2, 3).GetValue(1), ["GetValue", "rank 2"]),
        new("get value out of range", () => F32(2, 3).GetValue(1, 3), ["GetValue", "3", "size 3"]),
        new("get value negative", () => F32(2, 3).GetValue(-1, 0), ["GetValue", "-1"]),
        new("get flat out of range", () => F32(2, 3).GetFlat(6), ["GetFlat", "6"]),
        new("copy to wrong length", () => F32(2, 3).CopyTo(new float[5]), ["CopyTo", "[2, 3]"]),
        new("batch norm weight shape", () => Functional.BatchNorm(F32(4, 3, 2, 2), F32(2), F32(3)), ["batch_norm", "[2]", "[3]", "[4, 3, 2, 2]"]),
        new("batch norm rank 1", () => Functional.BatchNorm(F32(4), F32(4), F32(4)), ["batch_norm", "[4]"]),
        new("batch norm one value per channel", () => Functional.BatchNorm(F32(1, 3), F32(3), F32(3)), ["batch_norm", "[1, 3]", "more than one"]),
        new("batch norm epsilon", () => Functional.BatchNorm(F32(2, 3), F32(3), F32(3), epsilon: 0), ["batch_norm", "epsilon"]),
        new("batch norm mixed dtypes", () => Functional.BatchNorm(F32(2, 3), F64(3), F64(3)), ["batch_norm", "Float32", "Float64"]),
        new("conv2d kernel larger than input", () => Functional.Conv2d(F32(1, 1, 2, 2), F32(1, 1, 3, 3)), ["conv2d", "3x3", "[1, 1, 2, 2]"]),
        new("conv2d zero stride", () => Functional.Conv2d(F32(1, 1, 4, 4), F32(1, 1, 3, 3), stride: 0), ["conv2d", "stride 0"]),
        new("max pool window larger than input", () => Functional.MaxPool2d(F32(1, 1, 2, 2), 3), ["max_pool2d", "[1, 1, 2, 2]"]),
        new("elu NaN alpha", () => F32(3).Elu(double.NaN), ["Elu", "alpha", "[3]"]),
        new("softplus zero beta", () => F32(3).Softplus(0), ["Softplus", "beta", "[3]"]),
        new("softplus NaN threshold", () => F32(2, 2).Softplus(1, double.NaN), ["Softplus", "threshold", "[2, 2]"]),
        new("layer norm shape", () => Functional.LayerNorm(F32(2, 3), [4]), ["layer_norm", "[2, 3]", "[4]"]),
        new("layer norm no axes", () => Functional.LayerNorm(F32(2, 3), []), ["layer_norm", "[2, 3]", "[]"]),
        new("layer norm weight shape", () => Functional.LayerNorm(F32(2, 3), [3], F32(2)), ["layer_norm", "weight", "[2]", "[3]"]),
        new("layer norm bias dtype", () => Functional.LayerNorm(F32(2, 3), [3], F32(3), F64(3)), ["layer_norm", "bias", "Float64", "Float32"]),
        new("layer norm epsilon", () => Functional.LayerNorm(F32(2, 3), [3], epsilon: 0), ["layer_norm", "epsilon"]),
        new("conv2d groups mismatch", () => Functional.Conv2d(F32(1, 3, 4, 4), F32(2, 1, 3, 3), groups: 2), ["conv2d", "[1, 3, 4, 4]", "[2, 1, 3, 3]", "2 group"]),
        new("conv2d groups not dividing outputs", () => Functional.Conv2d(F32(1, 4, 4, 4), F32(3, 2, 3, 3), groups: 2), ["conv2d", "[3, 2, 3, 3]", "2 group"]),
        new("conv2d zero groups", () => Functional.Conv2d(F32(1, 1, 4, 4), F32(1, 1, 3, 3), groups: 0), ["conv2d", "groups"]),
        new("conv2d zero dilation", () => Functional.Conv2d(F32(1, 1, 4, 4), F32(1, 1, 3, 3), dilation: 0), ["conv2d", "dilation 0"]),
        new("conv2d dilated kernel too large", () => Functional.Conv2d(F32(1, 1, 4, 4), F32(1, 1, 3, 3), dilation: 2), ["conv2d", "dilation 2", "[1, 1, 4, 4]"]),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ThrowsArgumentExceptionNamingTheOpAndShapes(BadCase c)
    {
        var error = Record.Exception(c.Act);
        Assert.NotNull(error);
        Assert.True(error is ArgumentException, $"{c.Name}: expected an ArgumentException, got {error.GetType().Name}: {error.Message}");
        foreach (string fragment in c.Fragments)
        {
            Assert.True(error.Message.Contains(fragment, StringComparison.Ordinal), $"{c.Name}: message \"{error.Message}\" lacks \"{fragment}\"");
        }
    }

    [Fact]
    public void StateErrorsAreInvalidOperation()
    {
        var item = Assert.Throws<InvalidOperationException>(() => F32(2, 3).Item());
        Assert.Contains("Item", item.Message, StringComparison.Ordinal);
        Assert.Contains("[2, 3]", item.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => F32(0).Item());
        Assert.Contains("rank 1", Assert.Throws<InvalidOperationException>(() => F32(3).T).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => F32(0, 2).Mean());
        Assert.Contains("at least 2 elements", Assert.Throws<ArgumentException>(() => F32(1).Variance([0], unbiased: true)).Message, StringComparison.Ordinal);
    }
}
