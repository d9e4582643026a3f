using MetaLearn.Tensors.Autodiff;
using MetaLearn.Testing.Oracle;

namespace MetaLearn.Tensors.Tests.Oracle;

/// <summary>
/// <see cref="Tensor.SolveSpd"/> against libtorch (<c>torch-solve-cases.json</c>, written by
/// <c>tests/fixtures/make_torch_solve_cases.py</c>): output, vector-Jacobian product and Hessian-vector product to 1e-6
/// relative for <c>cholesky_solve</c>, for solves of Gram matrices and for R2-D2's ridge head; against
/// <c>torch.linalg.solve</c>, whose gradient of A is not symmetrized, the symmetric part of A's gradient.
/// </summary>
public class SolveOracleTests
{
    private static readonly Lazy<OracleCase[]> s_cases = new(() => TorchOracle.Load("torch-solve-cases.json"));

    public static TheoryData<string> Matched() => [.. s_cases.Value.Where(c => c.Op != "linalg_solve").Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Matched))]
    public void MatchesLibtorch(string name)
    {
        var c = s_cases.Value.Single(c => c.Name == name);
        var errors = TorchOracle.Evaluate(c, Function(c));
        Assert.True(errors.Within(TorchOracle.Tolerance), $"{name}: {errors}");
    }

    [Fact]
    public void AgainstLinalgSolveOnlyTheAntisymmetricPartOfTheMatrixGradientDiffers()
    {
        var c = s_cases.Value.Single(c => c.Op == "linalg_solve");
        var leaves = c.Leaves();
        var x = Tensor.SolveSpd(leaves[0], leaves[1]);
        var grads = Autograd.Grad([x], leaves, [c.Cotangent.ToTensor()]);
        var torchA = c.Grads[0].ToTensor();

        Assert.True(TorchOracle.Error([x], [c.Output]) <= TorchOracle.Tolerance);
        Assert.True(TorchOracle.Error([grads[1]], [c.Grads[1]]) <= TorchOracle.Tolerance);
        var symmetricPart = (torchA + torchA.T) * 0.5;
        Assert.True(TorchOracle.Error([grads[0]], [new OracleArray(c.Grads[0].Shape, symmetricPart.ToDoubleArray())]) <= TorchOracle.Tolerance);
        Assert.True(TorchOracle.Error([grads[0]], [c.Grads[0]]) > 1e-3, "libtorch's general-solve gradient should not be symmetric");
    }

    private static Func<Tensor[], Tensor> Function(OracleCase c) => c.Op switch
    {
        "cholesky_solve" => x => Tensor.SolveSpd(x[0], x[1]),
        "gram_solve" => x => Tensor.SolveSpd(Tensor.MatMul(x[0], x[0], transposeB: true) + Identity(x[0].Shape[^1], c.Double("shift")), x[1]),
        "ridge_head" => x =>
        {
            var targets = OneHot(c.Ints("labels"), c.Int("classes"));
            var gram = Tensor.MatMul(x[0], x[0], transposeB: true) + (x[2] * Identity(x[0].Shape[0], 1));
            return Tensor.MatMul(x[1], Tensor.MatMul(x[0], Tensor.SolveSpd(gram, targets), transposeA: true));
        },
        _ => throw new ArgumentException($"No path for op {c.Op}.", nameof(c)),
    };

    private static Tensor Identity(int n, double scale)
    {
        var values = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            values[(i * n) + i] = scale;
        }

        return Tensor.FromArray(values, n, n);
    }

    private static Tensor OneHot(int[] labels, int classes)
    {
        var values = new double[labels.Length * classes];
        for (int i = 0; i < labels.Length; i++)
        {
            values[(i * classes) + labels[i]] = 1;
        }

        return Tensor.FromArray(values, labels.Length, classes);
    }
}
