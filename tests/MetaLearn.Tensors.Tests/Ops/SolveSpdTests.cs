using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;
using static MetaLearn.Tensors.Tests.TensorAssert;

namespace MetaLearn.Tensors.Tests.Ops;

/// <summary>
/// The SPD solve against Gaussian elimination with partial pivoting, a different algorithm (forward, batched and broadcast) and its gradient convention: dB = A⁻¹G,
/// dA = −½(dB·Xᵀ + X·dBᵀ), which matches finite differences along every symmetric perturbation of A. Finite differences to
/// second order are rows of <c>OpGradientTests</c>; bad inputs are rows of <c>BadInputTests</c>.
/// </summary>
public class SolveSpdTests
{
    public static TheoryData<DType> DTypes => BothDTypes;

    [Theory]
    [MemberData(nameof(DTypes))]
    public void MatchesGaussianEliminationOnEveryMatrixOfABatch(DType dtype)
    {
        var a = Spd(1, 3, 5);
        var b = TestData.Uniform(2, [3, 5, 2], -1, 1);
        var x = Tensor.SolveSpd(a.AsType(dtype), b.AsType(dtype));

        Assert.Equal(dtype, x.DType);
        Close(x, [3, 5, 2], Reference(a, b), dtype == DType.Float32 ? 1e-5 : 1e-12);
    }

    [Fact]
    public void BroadcastsTheBatchAxes()
    {
        var shared = Spd(3, 1, 4).Reshape(4, 4);
        var b = TestData.Uniform(4, [2, 4, 3], -1, 1);
        Close(Tensor.SolveSpd(shared, b), [2, 4, 3], Reference(Tensor.Stack([shared, shared], 0), b));

        var perGroup = Spd(5, 2, 3).Reshape(2, 1, 3, 3);
        var rhs = TestData.Uniform(6, [4, 3, 1], -1, 1);
        var x = Tensor.SolveSpd(perGroup, rhs);
        Assert.Equal([2, 4, 3, 1], x.Shape.ToArray());
        Close(x, [2, 4, 3, 1], Reference(perGroup.BroadcastTo(2, 4, 3, 3).Reshape(8, 3, 3), rhs.BroadcastTo(2, 4, 3, 1).Reshape(8, 3, 1)));
    }

    [Fact]
    public void GradientsFollowTheSymmetricConventionAndFiniteDifferences()
    {
        var a = Spd(7, 2, 4);
        var b = TestData.Uniform(8, [2, 4, 3], -1, 1);
        var g = TestData.Uniform(9, [2, 4, 3], -1, 1);
        a.RequiresGrad = true;
        b.RequiresGrad = true;
        var x = Tensor.SolveSpd(a, b);
        var grads = Autograd.Grad([x], [a, b], [g]);
        var gradientA = grads[0]!;
        var gradientB = grads[1]!;

        Close(gradientB, [2, 4, 3], Reference(a, g));
        var outer = Tensor.MatMul(gradientB, x, transposeB: true);
        Close(gradientA, [2, 4, 4], ((outer + outer.Permute(0, 2, 1)) * -0.5).ToDoubleArray());
        Close(gradientA.Permute(0, 2, 1), [2, 4, 4], gradientA.ToDoubleArray());

        // Along a symmetric direction E the derivative of ⟨X, G⟩ is ⟨dA, E⟩ (so dA is the gradient on the symmetric matrices).
        var direction = TestData.Uniform(10, [2, 4, 4], -1, 1);
        direction = direction + direction.Permute(0, 2, 1);
        const double h = 1e-6;
        double Inner(Tensor matrix) => (Tensor.SolveSpd(matrix, b.Detach()) * g).Sum().Item();
        double numerical = (Inner(a.Detach() + (direction * h)) - Inner(a.Detach() - (direction * h))) / (2 * h);
        double analytical = (gradientA * direction).Sum().Item();
        Assert.Equal(numerical, analytical, 1e-7);
    }

    [Fact]
    public void Float32GradientsMatchDouble()
    {
        var a = Spd(11, 1, 3);
        var b = TestData.Uniform(12, [1, 3, 2], -1, 1);
        Tensor[] Gradients(DType dtype)
        {
            var a32 = a.AsType(dtype);
            var b32 = b.AsType(dtype);
            a32.RequiresGrad = true;
            b32.RequiresGrad = true;
            var loss = Tensor.SolveSpd(a32, b32).Square().Sum();
            return [.. Autograd.Grad(loss, [a32, b32]).Select(t => t!)];
        }

        var single = Gradients(DType.Float32);
        var reference = Gradients(DType.Float64);
        Assert.Equal(DType.Float32, single[0].DType);
        Close(single[0], [1, 3, 3], reference[0].ToDoubleArray(), 1e-4);
        Close(single[1], [1, 3, 2], reference[1].ToDoubleArray(), 1e-4);
    }

    /// <summary>M·Mᵀ + I for random M [batch, n, n] (float64).</summary>
    private static Tensor Spd(ulong seed, int batch, int n)
    {
        var m = TestData.Uniform(seed, [batch, n, n], -1, 1);
        return Tensor.MatMul(m, m, transposeB: true) + Tensor.Identity(n, DType.Float64);
    }

    /// <summary>Each matrix of a [batch, n, n] solved against b [batch, n, k] by Gaussian elimination with partial pivoting, flattened row-major.</summary>
    private static double[] Reference(Tensor a, Tensor b)
    {
        int batch = a.Shape[0];
        int n = a.Shape[1];
        int k = b.Shape[2];
        var values = a.ToDoubleArray();
        var result = b.ToDoubleArray();
        for (int m = 0; m < batch; m++)
        {
            var matrix = values.AsSpan(m * n * n, n * n);
            var right = result.AsSpan(m * n * k, n * k);
            for (int col = 0; col < n; col++)
            {
                int pivot = col;
                for (int row = col + 1; row < n; row++)
                {
                    pivot = Math.Abs(matrix[(row * n) + col]) > Math.Abs(matrix[(pivot * n) + col]) ? row : pivot;
                }

                Swap(matrix, col, pivot, n);
                Swap(right, col, pivot, k);
                for (int row = col + 1; row < n; row++)
                {
                    double factor = matrix[(row * n) + col] / matrix[(col * n) + col];
                    for (int j = col; j < n; j++)
                    {
                        matrix[(row * n) + j] -= factor * matrix[(col * n) + j];
                    }

                    for (int j = 0; j < k; j++)
                    {
                        right[(row * k) + j] -= factor * right[(col * k) + j];
                    }
                }
            }

            for (int row = n - 1; row >= 0; row--)
            {
                for (int j = 0; j < k; j++)
                {
                    double sum = right[(row * k) + j];
                    for (int c = row + 1; c < n; c++)
                    {
                        sum -= matrix[(row * n) + c] * right[(c * k) + j];
                    }

                    right[(row * k) + j] = sum / matrix[(row * n) + row];
                }
            }
        }

        return result;
    }

    private static void Swap(Span<double> rows, int first, int second, int width)
    {
        for (int j = 0; first != second && j < width; j++)
        {
            (rows[(first * width) + j], rows[(second * width) + j]) = (rows[(second * width) + j], rows[(first * width) + j]);
        }
    }
}
