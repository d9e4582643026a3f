using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Internal;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>
/// X = A⁻¹B for symmetric positive-definite A [..., n, n] and B [..., n, k], by the Cholesky factorization A = L·Lᵀ; the
/// leading (batch) axes broadcast. Only A's lower triangle is read, after A is checked to be symmetric.
/// </summary>
/// <remarks>
/// Backward: dB = A⁻ᵀG = A⁻¹G (a solve with the same factor) and dA = −½(dB·Xᵀ + X·dBᵀ). The unsymmetrized −dB·Xᵀ is the
/// gradient of a general solve (<c>torch.linalg.solve</c>); an SPD solve returns its symmetric part, as libtorch does for
/// <c>torch.cholesky_solve(B, torch.linalg.cholesky(A))</c>. Both agree on every symmetric perturbation of A, so the gradient
/// reaching whatever A was built from (X·Xᵀ + λI) is the same. The rule is a solve and two products, so it is recorded and
/// differentiable again when <c>createGraph</c> is on; the factor is kept in the node, so the first-order backward does not
/// factorize A again.
/// </remarks>
internal sealed class SolveSpd(Tensor a, Tensor b, double[] factor) : Node("solve_spd", [a, b])
{
    public static Tensor Apply(Tensor a, Tensor b)
    {
        OpHelper.SameDType("solve_spd", a, b);
        var (batch, n, k) = CheckShapes(a, b);
        var full = Full(batch, n, n);
        var factor = Factorize(ShapeHelper.SameShape(a.ShapeArray, full) ? a : Broadcast(a, full), n);
        return Apply(a, b, factor, batch, n, k);
    }

    public override void Backward(Tensor output, Tensor g, Tensor?[] grads)
    {
        var a = Inputs[0];
        var (batch, n, k) = CheckShapes(a, g);
        var gradientB = Apply(a, g, factor, batch, n, k);
        if (Needs(1))
        {
            grads[1] = gradientB;
        }

        if (Needs(0))
        {
            var outer = Elementwise.Add(MatMul.Apply(gradientB, output, transB: true), MatMul.Apply(output, gradientB, transB: true));
            grads[0] = Elementwise.MultiplyScalar(outer, -0.5);
        }
    }

    /// <summary>Solves with a factor of A already computed (one per matrix of the broadcast batch).</summary>
    private static Tensor Apply(Tensor a, Tensor b, double[] factor, int[] batch, int n, int k)
    {
        var full = Full(batch, n, k);
        var rhs = ShapeHelper.SameShape(b.ShapeArray, full) ? b : Broadcast(b, full);
        var x = new double[rhs.Count];
        if (rhs.DType == DType.Float64)
        {
            rhs.F64.CopyTo(x);
        }
        else
        {
            var source = rhs.F32;
            for (int i = 0; i < x.Length; i++)
            {
                x[i] = source[i];
            }
        }

        int matrices = ShapeHelper.Count(batch);
        for (int m = 0; m < matrices; m++)
        {
            Cholesky.Solve(factor.AsSpan(m * n * n, n * n), x.AsSpan(m * n * k, n * k), n, k);
        }

        var y = Tensor.Empty(full, a.DType);
        if (a.DType == DType.Float64)
        {
            x.CopyTo(y.F64);
        }
        else
        {
            var destination = y.F32;
            for (int i = 0; i < x.Length; i++)
            {
                destination[i] = (float)x[i];
            }
        }

        return GradMode.ShouldRecord(a, b) ? y.WithNode(new SolveSpd(a, b, factor)) : y;
    }

    /// <summary>The Cholesky factors of every matrix of <paramref name="a"/> [..., n, n], after checking symmetry.</summary>
    private static double[] Factorize(Tensor a, int n)
    {
        var values = a.ToDoubleArray();
        var factor = new double[values.Length];

        // Rounding can make a product such as X·Xᵀ differ from its transpose in the last bits; anything beyond this share of
        // the largest diagonal entry (which bounds every entry of an SPD matrix) is a different matrix, not rounding.
        double tolerance = a.DType == DType.Float32 ? 1e-4 : 1e-10;
        int matrices = n == 0 ? 0 : values.Length / (n * n);
        for (int m = 0; m < matrices; m++)
        {
            var matrix = values.AsSpan(m * n * n, n * n);
            CheckSymmetric(a, matrix, m, n, tolerance);
            int column = Cholesky.Factor(matrix, factor.AsSpan(m * n * n, n * n), n, out double pivot);
            if (column >= 0)
            {
                throw new ArgumentException($"solve_spd: matrix {m} of a {Shapes.Format(a.ShapeArray)} is not positive definite (the Cholesky "
                    + $"pivot of column {column} is {pivot:G4}); add a multiple of the identity (ridge) or check how it was built.", nameof(a));
            }
        }

        return factor;
    }

    private static void CheckSymmetric(Tensor a, ReadOnlySpan<double> matrix, int index, int n, double tolerance)
    {
        double scale = 0;
        for (int i = 0; i < n; i++)
        {
            scale = Math.Max(scale, Math.Abs(matrix[(i * n) + i]));
        }

        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < i; j++)
            {
                double lower = matrix[(i * n) + j];
                double upper = matrix[(j * n) + i];
                if (!(Math.Abs(lower - upper) <= tolerance * scale))
                {
                    throw new ArgumentException($"solve_spd: matrix {index} of a {Shapes.Format(a.ShapeArray)} is not symmetric: entry "
                        + $"[{i}, {j}] is {lower:G6} but [{j}, {i}] is {upper:G6}; symmetrize it, e.g. (a + aᵀ)/2.", nameof(a));
                }
            }
        }
    }

    private static (int[] Batch, int N, int K) CheckShapes(Tensor a, Tensor b)
    {
        var sa = a.ShapeArray;
        var sb = b.ShapeArray;
        if (a.Rank < 2 || sa[^1] != sa[^2])
        {
            throw new ArgumentException($"solve_spd: a must be square matrices [..., n, n], got {Shapes.Format(sa)}.", nameof(a));
        }

        if (b.Rank < 2 || sb[^2] != sa[^1])
        {
            throw new ArgumentException($"solve_spd: b must be [..., n, k] with n = {sa[^1]} rows to match a {Shapes.Format(sa)}, got "
                + $"{Shapes.Format(sb)} (reshape a vector to [n, 1]).", nameof(b));
        }

        try
        {
            return (ShapeHelper.Broadcast("solve_spd", sa.AsSpan(0, sa.Length - 2), sb.AsSpan(0, sb.Length - 2)), sa[^1], sb[^1]);
        }
        catch (ArgumentException)
        {
            throw new ArgumentException($"solve_spd: the batch dimensions of a {Shapes.Format(sa)} and b {Shapes.Format(sb)} cannot be "
                + "broadcast together.", nameof(b));
        }
    }

    private static int[] Full(int[] batch, int rows, int columns) => [.. batch, rows, columns];

    /// <summary>An operand copied to the broadcast batch shape, unrecorded: the engine sums the gradient back to the input's shape.</summary>
    private static Tensor Broadcast(Tensor x, int[] shape)
    {
        using var scope = Tensor.NoGrad();
        return BroadcastTo.Apply(x, shape);
    }
}
