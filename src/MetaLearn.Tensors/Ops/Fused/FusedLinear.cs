using System.Numerics.Tensors;
using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Internal;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>
/// A fully connected layer in one node: y = x·Wᵀ + b, either with one weight for every row (x [..., in], W [out, in],
/// b [out]) or with one weight per task (x [T, N, in], W [T, out, in], b [T, out]), optionally followed by a ReLU. The
/// bias is the GEMM's starting value (its epilogue adds the product to it) and the ReLU is applied in place, so the layer
/// writes one tensor instead of a product, a sum and an activation.
/// </summary>
/// <remarks>
/// Each output element is the same chain of multiply-adds, plus the bias, as <see cref="MatMul"/> followed by a
/// broadcasting add (and <see cref="Elementwise.Relu"/>), so the result is bit-identical to that composition. The backward rule is
/// written with <see cref="ReluGradient"/> (masked by the output: ReLU's output is positive exactly where its input is),
/// <see cref="MatMul"/>, <see cref="BatchSumMatMul"/> and <see cref="Sum"/>, so it is differentiable to any order.
/// </remarks>
internal sealed class FusedLinear(Tensor x, Tensor weight, Tensor? bias, bool relu)
    : Node(relu ? "linear_relu" : "linear", bias is null ? [x, weight] : [x, weight, bias])
{
    /// <summary>Checks the shapes (x of rank ≥ 2) and runs the layer, then max(·, 0) when <paramref name="relu"/> is set.</summary>
    public static Tensor Apply(Tensor x, Tensor weight, Tensor? bias, bool relu = false)
    {
        OpHelper.SameDType("linear", x, weight);
        if (bias is not null)
        {
            OpHelper.SameDType("linear", x, bias);
        }

        var sx = x.ShapeArray;
        var sw = weight.ShapeArray;
        bool batched = sw.Length == 3;
        if ((sw.Length != 2 && !batched) || sx.Length < 2 || sx[^1] != sw[^1] || (batched && (sx.Length != 3 || sx[0] != sw[0])))
        {
            throw new ArgumentException($"linear: input {Shapes.Format(sx)} does not match weight {Shapes.Format(sw)} (expected [..., "
                + $"in] with [out, in], or [T, N, in] with [T, out, in]).", nameof(x));
        }

        int outputs = sw[^2];
        int inputs = sw[^1];
        if (bias is not null && !(batched
            ? bias.Rank == 2 && bias.ShapeArray[0] == sw[0] && bias.ShapeArray[1] == outputs
            : bias.Rank == 1 && bias.ShapeArray[0] == outputs))
        {
            throw new ArgumentException($"linear: bias {Shapes.Format(bias.ShapeArray)} does not match weight {Shapes.Format(sw)}.", nameof(bias));
        }

        var shape = (int[])sx.Clone();
        shape[^1] = outputs;
        var y = Tensor.Empty(shape, x.DType);
        int tasks = batched ? sw[0] : 1;
        int rows = ShapeHelper.Product(sx, 0, sx.Length - 1) / Math.Max(1, tasks);

        if (x.DType == DType.Float32)
        {
            Forward(x.F32, weight.F32, bias is null ? default : bias.F32, bias is not null, y.F32, tasks, rows, outputs, inputs);
            if (relu)
            {
                TensorPrimitives.Max(y.F32, 0f, y.F32);
            }
        }
        else
        {
            Forward(x.F64, weight.F64, bias is null ? default : bias.F64, bias is not null, y.F64, tasks, rows, outputs, inputs);
            if (relu)
            {
                TensorPrimitives.Max(y.F64, 0d, y.F64);
            }
        }

        return GradMode.ShouldRecord(x, weight, bias) ? y.WithNode(new FusedLinear(x, weight, bias, relu)) : y;
    }

    public override void Backward(Tensor output, Tensor g, Tensor?[] grads)
    {
        var x = Inputs[0];
        var weight = Inputs[1];
        bool batched = weight.Rank == 3;
        if (relu)
        {
            g = ReluGradient.Apply(g, output, 0);
        }

        // Created in the order of the composition this node replaces (the add's bias gradient, then the product's two), so
        // a higher-order pass accumulates into g in the same order and rounds the same way.
        if (Inputs.Length > 2 && Needs(2))
        {
            grads[2] = Sum.Apply(g, batched ? [1] : [.. Enumerable.Range(0, g.Rank - 1)], keepDims: false);
        }

        if (Needs(0))
        {
            grads[0] = MatMul.Apply(g, weight);
        }

        if (Needs(1))
        {
            // dW = Gᵀ·x, per task when batched, else summed over every leading axis (as MatMul's rule for a shared matrix).
            grads[1] = batched || x.Rank == 2 ? MatMul.Apply(g, x, transA: true) : BatchSumMatMul.Apply(g, x, true, false);
        }
    }

    private static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, bool hasBias, Span<T> y, int tasks, int rows,
        int outputs, int inputs)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        if (hasBias)
        {
            // Each row starts as its task's bias; the GEMM adds the product to it.
            for (int t = 0; t < tasks; t++)
            {
                var b = bias.Slice(t * outputs, outputs);
                for (int r = 0; r < rows; r++)
                {
                    b.CopyTo(y.Slice(((t * rows) + r) * outputs, outputs));
                }
            }
        }

        int weightStride = tasks == 1 ? 0 : outputs * inputs;
        Gemm.MultiplyBatched(x, weight, y, tasks, rows, outputs, inputs, transA: false, transB: true, accumulate: hasBias, rows * inputs, weightStride);
    }
}
