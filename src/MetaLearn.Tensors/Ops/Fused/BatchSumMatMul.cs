using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Internal;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>
/// Σ_i op(a_i)·op(b_i) over the batch axes of two equally batched operands, straight into one [m, n] result: the gradient
/// of a matrix that was broadcast across a batch (a convolution's or a linear layer's weight), without materializing one
/// product per batch element and summing them.
/// </summary>
internal sealed class BatchSumMatMul(Tensor a, Tensor b, bool transA, bool transB) : Node("batch_sum_matmul", [a, b])
{
    public static Tensor Apply(Tensor a, Tensor b, bool transA, bool transB)
    {
        OpHelper.SameDType("batch_sum_matmul", a, b);
        var sa = a.ShapeArray;
        var sb = b.ShapeArray;
        if (sa.Length < 3 || !ShapeHelper.SameShape(sa.AsSpan(0, sa.Length - 2), sb.AsSpan(0, sb.Length - 2)))
        {
            throw new ArgumentException($"batch_sum_matmul: operands {Shapes.Format(sa)} and {Shapes.Format(sb)} need the same batch axes.");
        }

        int m = transA ? sa[^1] : sa[^2];
        int k = transA ? sa[^2] : sa[^1];
        int n = transB ? sb[^2] : sb[^1];
        int batch = ShapeHelper.Product(sa, 0, sa.Length - 2);
        var y = Tensor.Empty([m, n], a.DType);
        if (a.DType == DType.Float32)
        {
            Run<float>(a.F32, b.F32, y.F32, batch, m, n, k, transA, transB);
        }
        else
        {
            Run<double>(a.F64, b.F64, y.F64, batch, m, n, k, transA, transB);
        }

        return GradMode.ShouldRecord(a, b) ? y.WithNode(new BatchSumMatMul(a, b, transA, transB)) : y;
    }

    public override void Backward(Tensor output, Tensor g, Tensor?[] grads)
    {
        // y = Σ_i op(a_i)op(b_i): each a_i gets the gradient of one batched product with g broadcast over the batch.
        var a = Inputs[0];
        var b = Inputs[1];
        if (Needs(0))
        {
            grads[0] = transA ? MatMul.Apply(b, g, transB, true) : MatMul.Apply(g, b, false, !transB);
        }

        if (Needs(1))
        {
            grads[1] = transB ? MatMul.Apply(g, a, true, transA) : MatMul.Apply(a, g, !transA, false);
        }
    }

    private static void Run<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y, int batch, int m, int n, int k, bool transA, bool transB)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        // Accumulate in batch order, so the sum's rounding does not depend on threading inside the GEMM.
        for (int i = 0; i < batch; i++)
        {
            Gemm.Multiply(a.Slice(i * m * k, m * k), b.Slice(i * k * n, k * n), y, m, n, k, transA, transB, accumulate: i > 0);
        }

        if (batch == 0)
        {
            y.Clear();
        }
    }
}
