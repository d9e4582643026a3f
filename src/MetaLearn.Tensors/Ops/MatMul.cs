using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Internal;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>
/// op(a) @ op(b) over the last two axes, where op transposes when its flag is set; leading (batch) axes broadcast.
/// Transposition is a flag to the GEMM kernel, never a copy.
/// </summary>
internal sealed class MatMul(Tensor a, Tensor b, bool transA, bool transB) : Node("matmul", [a, b])
{
    public static Tensor Apply(Tensor a, Tensor b, bool transA = false, bool transB = false)
    {
        OpHelper.SameDType("matmul", a, b);
        if (a.Rank < 2 || b.Rank < 2)
        {
            throw new ArgumentException($"matmul: both operands need rank >= 2, got {Shapes.Format(a.ShapeArray)} and "
                + $"{Shapes.Format(b.ShapeArray)}; reshape vectors to [1, n] or [n, 1].");
        }

        var sa = a.ShapeArray;
        var sb = b.ShapeArray;
        int m = transA ? sa[^1] : sa[^2];
        int k = transA ? sa[^2] : sa[^1];
        int kb = transB ? sb[^1] : sb[^2];
        int n = transB ? sb[^2] : sb[^1];
        if (k != kb)
        {
            throw new ArgumentException($"matmul: inner dimensions differ: {Shapes.Format(sa)}{(transA ? "ᵀ" : string.Empty)} @ "
                + $"{Shapes.Format(sb)}{(transB ? "ᵀ" : string.Empty)} ({k} vs {kb}).");
        }

        int[] batch;
        try
        {
            batch = ShapeHelper.Broadcast("matmul", sa.AsSpan(0, sa.Length - 2), sb.AsSpan(0, sb.Length - 2));
        }
        catch (ArgumentException)
        {
            throw new ArgumentException($"matmul: the batch dimensions of {Shapes.Format(sa)} and {Shapes.Format(sb)} cannot be broadcast together.");
        }

        int batchCount = ShapeHelper.Count(batch);
        var (aFull, aStride) = Operand(a, batch, batchCount);
        var (bFull, bStride) = Operand(b, batch, batchCount);

        var shape = new int[batch.Length + 2];
        batch.CopyTo(shape, 0);
        shape[^2] = m;
        shape[^1] = n;
        var y = Tensor.Empty(shape, a.DType);
        if (a.DType == DType.Float32)
        {
            Gemm.MultiplyBatched<float>(aFull.F32, bFull.F32, y.F32, batchCount, m, n, k, transA, transB, false, aStride, bStride);
        }
        else
        {
            Gemm.MultiplyBatched<double>(aFull.F64, bFull.F64, y.F64, batchCount, m, n, k, transA, transB, false, aStride, bStride);
        }

        return GradMode.ShouldRecord(a, b) ? y.WithNode(new MatMul(a, b, transA, transB)) : y;
    }

    public override void Backward(Tensor output, Tensor g, Tensor?[] grads)
    {
        var a = Inputs[0];
        var b = Inputs[1];

        // A matrix shared across a batch (a weight) gets the sum of the per-batch gradients, computed straight into one matrix.
        bool aShared = a.Rank == 2 && g.Rank > 2 && b.Rank == g.Rank;
        bool bShared = b.Rank == 2 && g.Rank > 2 && a.Rank == g.Rank;
        if (Needs(0))
        {
            // C = op(A)·op(B): dop(A) = G·op(B)ᵀ; when A is stored transposed, dA = op(B)·Gᵀ.
            grads[0] = aShared
                ? (transA ? BatchSumMatMul.Apply(b, g, transB, true) : BatchSumMatMul.Apply(g, b, false, !transB))
                : (transA ? Apply(b, g, transB, true) : Apply(g, b, false, !transB));
        }

        if (Needs(1))
        {
            // dop(B) = op(A)ᵀ·G; when B is stored transposed, dB = Gᵀ·op(A).
            grads[1] = bShared
                ? (transB ? BatchSumMatMul.Apply(g, a, true, transA) : BatchSumMatMul.Apply(a, g, !transA, false))
                : (transB ? Apply(g, a, true, transA) : Apply(a, g, !transA, false));
        }
    }

    /// <summary>The operand's batch stride: its own matrices, one matrix shared by all (stride 0), or a broadcast copy.</summary>
    private static (Tensor Data, int Stride) Operand(Tensor x, int[] batch, int batchCount)
    {
        int matrix = x.ShapeArray[^1] * x.ShapeArray[^2];
        int own = x.Count / Math.Max(matrix, 1);
        if (matrix == 0 || own == batchCount)
        {
            return (x, matrix);
        }

        if (own == 1)
        {
            return (x, 0);
        }

        var full = new int[batch.Length + 2];
        batch.CopyTo(full, 0);
        full[^2] = x.ShapeArray[^2];
        full[^1] = x.ShapeArray[^1];
        using var scope = Tensor.NoGrad();
        return (BroadcastTo.Apply(x, full), matrix);
    }
}
