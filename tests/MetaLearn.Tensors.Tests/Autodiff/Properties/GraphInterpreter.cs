using System.Globalization;
using MetaLearn.Tensors.Ops;

namespace MetaLearn.Tensors.Tests.Autodiff.Properties;

/// <summary>
/// Runs a <see cref="GraphProgram"/> with the library's public operations (and the fused internal ones) and prints it as a
/// readable program. An op whose operands do not fit is given adapted operands, and the adaptation is printed too: a
/// non-broadcastable second operand becomes <c>Fit(b, shape)</c> (flattened, concatenated with itself, sliced, reshaped).
/// </summary>
internal static class GraphInterpreter
{
    private static readonly double[] Constants = [2, -0.5, 3, 0.25, -1.5];

    /// <summary>The program's leaves: float64, uniform in [−1.5, 1.5], requiring grad.</summary>
    public static Tensor[] Leaves(GraphProgram program)
    {
        var generator = new Generator((ulong)program.DataSeed + 1);
        var leaves = new Tensor[program.LeafShapes.Length];
        for (int i = 0; i < leaves.Length; i++)
        {
            leaves[i] = Tensor.RandomUniform(generator, program.Shape(i), -1.5, 1.5, DType.Float64);
            leaves[i].RequiresGrad = true;
        }

        return leaves;
    }

    /// <summary>Runs the program on <paramref name="leaves"/>; when <paramref name="cut"/> names a step, its value is replaced by <paramref name="cutValue"/>.</summary>
    public static GraphRun Run(GraphProgram program, Tensor[] leaves, int cut = -1, Tensor? cutValue = null)
    {
        int count = leaves.Length + program.Steps.Length;
        var values = new List<Tensor>(count);
        var names = new List<string>(count);
        var fresh = new List<bool>(count);
        var used = new bool[count];
        var lines = new List<string>(count);
        for (int i = 0; i < leaves.Length; i++)
        {
            values.Add(leaves[i]);
            names.Add($"x{i}");
            fresh.Add(true);
            lines.Add($"x{i} = leaf {Format(leaves[i].Shape.ToArray())} {Values(leaves[i])}");
        }

        for (int s = 0; s < program.Steps.Length; s++)
        {
            var step = program.Steps[s];
            int first = step.First % values.Count, second = step.Second % values.Count;
            var (value, text, reads) = Apply(step, values[first], values[second], names[first], names[second]);
            used[first] = true;
            used[second] |= reads;
            if (s == cut)
            {
                value = cutValue!;
            }

            string name = s < 26 ? ((char)('a' + s)).ToString() : $"v{s}";
            fresh.Add(!values.Any(v => ReferenceEquals(v, value)));
            values.Add(value);
            names.Add(name);
            lines.Add($"{name} = {text}");
        }

        var sinks = Enumerable.Range(leaves.Length, program.Steps.Length).Where(i => !used[i]).ToArray();
        return new GraphRun([.. values], [.. names], [.. fresh], sinks, [.. lines]);
    }

    /// <summary>The program as text: the leaves, the steps, the output and the inputs asked for.</summary>
    public static string Describe(GraphProgram program)
    {
        var run = Run(program, Leaves(program));
        var target = TargetIndex(program, run);
        var inputs = Enumerable.Range(0, program.LeafShapes.Length).Select(i => run.Names[i]).ToList();
        if (target >= 0)
        {
            inputs.Add(run.Names[target]);
        }

        return Environment.NewLine + string.Join(Environment.NewLine, run.Lines.Append(run.OutputLine).Append($"gradients with respect to [{string.Join(", ", inputs)}]"));
    }

    /// <summary>The value index of the intermediate whose gradient is asked for, or −1 (none, or not a tensor of its own).</summary>
    public static int TargetIndex(GraphProgram program, GraphRun run)
    {
        if (program.Target < 0)
        {
            return -1;
        }

        int index = program.LeafShapes.Length + (program.Target % program.Steps.Length);
        return run.Fresh[index] ? index : -1;
    }

    private static (Tensor Value, string Text, bool ReadsSecond) Apply(ProgramStep step, Tensor a, Tensor b, string an, string bn)
    {
        int v = step.Variant;
        double c = Constants[v % Constants.Length];
        string cs = c.ToString(CultureInfo.InvariantCulture);
        switch (step.Op)
        {
            case GraphOp.Add: return Binary(a, b, an, bn, (x, y) => x + y, "{0} + {1}");
            case GraphOp.Multiply: return Binary(a, b, an, bn, (x, y) => x * y, "{0} * {1}");
            case GraphOp.Subtract: return Binary(a, b, an, bn, (x, y) => x - y, "{0} - {1}");
            case GraphOp.Divide: return Binary(a, b, an, bn, (x, y) => x / (y.Square() + 1), "{0} / (Square({1}) + 1)");
            case GraphOp.Maximum: return Binary(a, b, an, bn, (x, y) => x.Maximum(y), "Maximum({0}, {1})");
            case GraphOp.AddSelf: return (a + a, $"{an} + {an}", false);
            case GraphOp.MultiplySelf: return (a * a, $"{an} * {an}", false);
            case GraphOp.Scale: return (a * c, $"{an} * {cs}", false);
            case GraphOp.Shift: return (a + c, $"{an} + {cs}", false);
            case GraphOp.Negate: return (-a, $"-{an}", false);
            case GraphOp.Square: return (a.Square(), $"Square({an})", false);
            case GraphOp.Tanh: return (a.Tanh(), $"Tanh({an})", false);
            case GraphOp.Sigmoid: return (a.Sigmoid(), $"Sigmoid({an})", false);
            case GraphOp.ExpTanh: return (a.Tanh().Exp(), $"Exp(Tanh({an}))", false);
            case GraphOp.LogOnePlusSquare: return ((a.Square() + 1).Log(), $"Log(Square({an}) + 1)", false);
            case GraphOp.SqrtOnePlusSquare: return ((a.Square() + 1).Sqrt(), $"Sqrt(Square({an}) + 1)", false);
            case GraphOp.Relu: return (a.Relu(), $"Relu({an})", false);
            case GraphOp.Abs: return (a.Abs(), $"Abs({an})", false);
            case GraphOp.LeakyRelu: return (a.LeakyRelu(0.1), $"LeakyRelu({an}, 0.1)", false);
            case GraphOp.SumAll: return (a.Sum(v % 2 == 1), $"Sum({an}{Keep(v % 2 == 1)})", false);
            case GraphOp.MaxAll: return (a.Max(v % 2 == 1), $"Max({an}{Keep(v % 2 == 1)})", false);
            case GraphOp.Elu: return (a.Elu(1.3), $"Elu({an}, 1.3)", false);
            case GraphOp.Softplus: return (a.Softplus(2, 3), $"Softplus({an}, beta 2, threshold 3)", false);
            case GraphOp.Flatten: return (a.Reshape(-1), $"Reshape({an}, [-1])", false);
            case GraphOp.ReshapeRoundTrip: return (a.Reshape(-1).Reshape(a.Shape.ToArray()), $"Reshape(Reshape({an}, [-1]), {Format(a.Shape.ToArray())})", false);
            case GraphOp.BroadcastUp: return (a.BroadcastTo([2, .. a.Shape]), $"BroadcastTo({an}, {Format([2, .. a.Shape])})", false);
            case GraphOp.Stack:
                return a.Shape.SequenceEqual(b.Shape)
                    ? (Tensor.Stack([a, b], 0), $"Stack([{an}, {bn}])", true)
                    : (Tensor.Stack([a, a], 0), $"Stack([{an}, {an}])", false);
            default: return a.Rank == 0 ? (a * c, $"{an} * {cs}", false) : Shaped(step.Op, v, a, b, an, bn, c, cs);
        }
    }

    /// <summary>The ops that need an axis (the operand has rank ≥ 1) or a matrix or image view of it.</summary>
    private static (Tensor, string, bool) Shaped(GraphOp op, int v, Tensor a, Tensor b, string an, string bn, double c, string cs)
    {
        int rank = a.Rank;
        int axis = v % rank;
        bool keep = (v / rank) % 2 == 1;
        int size = a.Shape[axis];
        switch (op)
        {
            case GraphOp.SumAxis: return (a.Sum(axis, keep), $"Sum({an}, axis {axis}{Keep(keep)})", false);
            case GraphOp.MeanAxis: return (a.Mean(axis, keep), $"Mean({an}, axis {axis}{Keep(keep)})", false);
            case GraphOp.MaxAxis: return (a.Max(axis, keep), $"Max({an}, axis {axis}{Keep(keep)})", false);
            case GraphOp.Transpose: return rank >= 2 ? (a.T, $"Transpose({an})", false) : (a.Unsqueeze(0).Squeeze(0), $"Squeeze(Unsqueeze({an}, 0), 0)", false);
            case GraphOp.PermuteRoundTrip:
                int[] reverse = [.. Enumerable.Range(0, rank).Reverse()];
                return (a.Permute(reverse).Permute(reverse), $"Permute(Permute({an}, {Format(reverse)}), {Format(reverse)})", false);
            case GraphOp.ConcatSelf: return (Tensor.Concat([a, a], axis), $"Concat([{an}, {an}], axis {axis})", false);
            case GraphOp.Concat:
                return b.Rank == rank && Enumerable.Range(0, rank).All(d => d == axis || a.Shape[d] == b.Shape[d])
                    ? (Tensor.Concat([a, b, a], axis), $"Concat([{an}, {bn}, {an}], axis {axis})", true)
                    : (Tensor.Concat([a, a, a], axis), $"Concat([{an}, {an}, {an}], axis {axis})", false);
            case GraphOp.Slice:
                int start = size > 1 && keep ? 1 : 0;
                return (a.Slice(axis, start, size), $"Slice({an}, axis {axis}, {start}..{size})", false);
            case GraphOp.IndexSelect: return (a.IndexSelect(axis, [size - 1, 0, size - 1]), $"IndexSelect({an}, axis {axis}, [{size - 1}, 0, {size - 1}])", false);
            case GraphOp.Softmax:
                return keep
                    ? (Functional.LogSoftmax(a, -1), $"LogSoftmax({an})", false)
                    : (Functional.Softmax(a, -1), $"Softmax({an})", false);
            case GraphOp.LogSumExp: return (Functional.LogSumExp(a, axis, keep), $"LogSumExp({an}, axis {axis}{Keep(keep)})", false);
            default: return Fused(op, v, a, b, an, bn, c, cs);
        }
    }

    /// <summary>The fused ops, on matrix or image views of the first operand, with weights fitted from the second.</summary>
    private static (Tensor, string, bool) Fused(GraphOp op, int v, Tensor a, Tensor b, string an, string bn, double c, string cs)
    {
        var matrix = AsMatrix(a);
        int rows = matrix.Shape[0], columns = matrix.Shape[1];
        string matrixText = a.Rank == 2 ? an : $"Reshape({an}, {Format([rows, columns])})";
        string imageText = $"Reshape({an}, {Format([1, 1, rows, columns])})";
        switch (op)
        {
            case GraphOp.MeanSquaredError: return (MeanSquaredError.Apply(a, Fit(b, a.Shape.ToArray())), $"Mse({an}, {FitText(b, bn, a.Shape.ToArray())})", true);
            case GraphOp.AddScaled: return (AddScaled.Apply(a, Fit(b, a.Shape.ToArray()), c), $"AddScaled({an}, {FitText(b, bn, a.Shape.ToArray())}, {cs})", true);
            case GraphOp.Linear:
                var weight = Fit(b, [2, columns]);
                var bias = v % 2 == 0 ? Fit(b, [2]) : null;
                string arguments = $"{matrixText}, {FitText(b, bn, [2, columns])}{(bias is null ? string.Empty : ", " + FitText(b, bn, [2]))}";
                return v % 3 == 2
                    ? (Functional.LinearRelu(matrix, weight, bias), $"LinearRelu({arguments})", true)
                    : (Functional.Linear(matrix, weight, bias), $"Linear({arguments})", true);
            case GraphOp.Convolution:
                int stride = 1 + (v % 2), dilation = 1 + ((v / 2) % 2);
                var kernel = Fit(b, [2, 1, 2, 2]);
                return (Functional.Conv2d(matrix.Reshape(1, 1, rows, columns), kernel, Fit(b, [2]), stride, 1, dilation), $"Conv2d({imageText}, {FitText(b, bn, [2, 1, 2, 2])}, {FitText(b, bn, [2])}, stride {stride}, padding 1, dilation {dilation})", true);
            case GraphOp.LayerNorm:
                return (Functional.LayerNorm(a, [columns], Fit(b, [columns]), Fit(b, [columns]) * 0.5), $"LayerNorm({an}, [{columns}], {FitText(b, bn, [columns])}, {FitText(b, bn, [columns])} * 0.5)", true);
            case GraphOp.BatchNorm when rows >= 2:
                bool relu = v % 2 == 1;
                return (Functional.BatchNorm(matrix, Fit(b, [columns]), Fit(b, [columns]) * 0.5, relu: relu), $"BatchNorm{(relu ? "Relu" : string.Empty)}({matrixText}, {FitText(b, bn, [columns])}, {FitText(b, bn, [columns])} * 0.5)", true);
            case GraphOp.BatchNormReluPool when rows >= 2 && columns >= 2:
                return (Functional.BatchNormReluMaxPool2d(matrix.Reshape(1, 1, rows, columns), Fit(b, [1]), Fit(b, [1]) * 0.5, 2), $"BatchNormReluMaxPool({imageText}, {FitText(b, bn, [1])}, {FitText(b, bn, [1])} * 0.5, 2)", true);
            case GraphOp.MaxPool when rows >= 2 && columns >= 2:
                int poolStride = 1 + (v % 2);
                return (Functional.MaxPool2d(matrix.Reshape(1, 1, rows, columns), 2, poolStride), $"MaxPool({imageText}, 2, stride {poolStride})", false);
            default: return (a.Tanh(), $"Tanh({an})", false);
        }
    }

    /// <summary>[rows, last]: every leading axis merged (a vector becomes one row).</summary>
    private static Tensor AsMatrix(Tensor t) => t.Reshape(-1, t.Shape[^1]);

    /// <summary>b as is when it broadcasts with a, else fitted to a's shape.</summary>
    private static (Tensor, string, bool) Binary(Tensor a, Tensor b, string an, string bn, Func<Tensor, Tensor, Tensor> op, string format)
    {
        var shape = a.Shape.ToArray();
        bool broadcasts = Broadcasts(shape, b.Shape.ToArray());
        var second = broadcasts ? b : Fit(b, shape);
        return (op(a, second), string.Format(CultureInfo.InvariantCulture, format, an, broadcasts ? bn : FitText(b, bn, shape)), true);
    }

    private static bool Broadcasts(int[] a, int[] b)
    {
        for (int i = 1; i <= Math.Min(a.Length, b.Length); i++)
        {
            int x = a[^i], y = b[^i];
            if (x != y && x != 1 && y != 1)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>t's elements, repeated as often as needed and cut, as a tensor of <paramref name="shape"/>: differentiable in t.</summary>
    private static Tensor Fit(Tensor t, int[] shape)
    {
        if (t.Shape.SequenceEqual(shape))
        {
            return t;
        }

        int target = shape.Aggregate(1, (p, d) => p * d);
        var flat = t.Reshape(-1);
        if (flat.Count < target)
        {
            flat = Tensor.Concat([.. Enumerable.Repeat(flat, (target + flat.Count - 1) / flat.Count)], 0);
        }

        if (flat.Count > target)
        {
            flat = flat.Slice(0, 0, target);
        }

        return flat.Reshape(shape);
    }

    private static string FitText(Tensor t, string name, int[] shape) => t.Shape.SequenceEqual(shape) ? name : $"Fit({name}, {Format(shape)})";

    private static string Keep(bool keep) => keep ? ", keepdims" : string.Empty;

    private static string Format(int[] shape) => "[" + string.Join(", ", shape) + "]";

    private static string Values(Tensor t)
    {
        var values = t.ToDoubleArray();
        string shown = string.Join(", ", values.Take(6).Select(x => x.ToString("0.###", CultureInfo.InvariantCulture)));
        return values.Length > 6 ? $"[{shown}, ...]" : $"[{shown}]";
    }
}
