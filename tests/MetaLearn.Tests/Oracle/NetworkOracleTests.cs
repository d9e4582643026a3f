using MetaLearn.Tensors;
using MetaLearn.Testing.Oracle;
using Xunit.Abstractions;

namespace MetaLearn.Tests.Oracle;

/// <summary>
/// The network layer against libtorch (issue 9): the losses, distances and programs of the 77 float64 reference cases, and
/// the module forms of the engine ops, on every path the library offers, to 1e-6 relative on output, vector-Jacobian product
/// and Hessian-vector product (the meta-gradient paths, which keep no graph, on output and gradient).
/// </summary>
public class NetworkOracleTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> Rows() => TorchOracle.Rows(TorchOracle.Cases, c => Differentiable(c).Select(p => p.Path));

    public static TheoryData<string, string> MetaGradientRows()
        => TorchOracle.Rows(TorchOracle.Cases.Where(c => c.Op == "program"), c => ProgramPaths.MetaGradient(c).Select(p => p.Path));

    [Theory]
    [MemberData(nameof(Rows))]
    public void MatchesLibtorch(string name, string path)
    {
        var c = TorchOracle.Case(name);
        var errors = TorchOracle.Evaluate(c, Differentiable(c).Single(p => p.Path == path).Function);
        Assert.True(errors.Within(TorchOracle.Tolerance), $"{name} by {path}: {errors}");
    }

    [Theory]
    [MemberData(nameof(MetaGradientRows))]
    public void MetaGradientMatchesLibtorch(string name, string path)
    {
        var errors = MetaGradientErrors(TorchOracle.Case(name), path);
        Assert.True(errors.Within(TorchOracle.Tolerance), $"{name} by {path}: {errors}");
    }

    [Fact]
    public void EveryNetworkCaseHasAPathAndTheWorstErrorsAreSmall()
    {
        var uncovered = TorchOracle.Cases.Where(c => TorchOracle.NetworkLayerOps.Contains(c.Op) && Differentiable(c).Count == 0).Select(c => c.Name).ToArray();
        Assert.True(uncovered.Length == 0, $"No path for: {string.Join(", ", uncovered)}");

        var worst = new OracleErrors(0, 0, 0);
        int cases = 0, pairs = 0;
        foreach (var c in TorchOracle.Cases)
        {
            var errors = Differentiable(c).Select(p => TorchOracle.Evaluate(c, p.Function))
                .Concat(c.Op == "program" ? ProgramPaths.MetaGradient(c).Select(p => MetaGradientErrors(c, p.Path)) : [])
                .ToArray();
            cases += errors.Length > 0 ? 1 : 0;
            pairs += errors.Length;
            foreach (var e in errors)
            {
                worst = new OracleErrors(Math.Max(worst.Output, e.Output), Math.Max(worst.Gradient, e.Gradient), Math.Max(worst.HessianVector, e.HessianVector));
            }
        }

        output.WriteLine($"{cases} cases with network-layer paths, {pairs} case × path pairs; worst relative error: {worst}");
        Assert.True(worst.Within(TorchOracle.Tolerance));
    }

    private static IReadOnlyList<(string Path, Func<Tensor[], Tensor> Function)> Differentiable(OracleCase c)
        => c.Op == "program" ? ProgramPaths.Differentiable(c) : NetworkOpPaths.For(c);

    private static OracleErrors MetaGradientErrors(OracleCase c, string path)
    {
        var (loss, gradient) = ProgramPaths.MetaGradient(c).Single(p => p.Path == path).Run();
        double outputError = TorchOracle.Error([Tensor.Scalar(loss, DType.Float64)], [c.Output]);
        double gradientError = gradient is null ? 0 : TorchOracle.Error(gradient, c.Grads);
        return new OracleErrors(outputError, gradientError, 0);
    }
}
