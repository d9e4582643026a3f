using MetaLearn.Testing.Oracle;
using Xunit.Abstractions;

namespace MetaLearn.Tensors.Tests.Oracle;

/// <summary>
/// The engine against libtorch (issue 9): every engine-op case of the 77 float64 reference cases, on every path the engine
/// offers for it, matches the output, the vector-Jacobian product (Grad with and without createGraph) and the
/// Hessian-vector product (outer pass plain and recorded) to 1e-6 relative.
/// </summary>
public class EngineOracleTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> Rows() => TorchOracle.Rows(EngineCases(), c => EngineOpPaths.For(c).Select(p => p.Path));

    [Theory]
    [MemberData(nameof(Rows))]
    public void MatchesLibtorch(string name, string path)
    {
        var c = TorchOracle.Case(name);
        var errors = TorchOracle.Evaluate(c, EngineOpPaths.For(c).Single(p => p.Path == path).Function);
        Assert.True(errors.Within(TorchOracle.Tolerance), $"{name} by {path}: {errors}");
    }

    [Fact]
    public void EveryEngineCaseHasAPathAndTheWorstErrorsAreSmall()
    {
        var cases = EngineCases().ToArray();
        var uncovered = cases.Where(c => EngineOpPaths.For(c).Count == 0).Select(c => c.Name).ToArray();
        Assert.True(uncovered.Length == 0, $"No engine path for: {string.Join(", ", uncovered)}");

        double outputError = 0, gradientError = 0, hessianError = 0;
        int paths = 0;
        foreach (var c in cases)
        {
            foreach (var (_, function) in EngineOpPaths.For(c))
            {
                var errors = TorchOracle.Evaluate(c, function);
                (outputError, gradientError, hessianError) = (Math.Max(outputError, errors.Output), Math.Max(gradientError, errors.Gradient), Math.Max(hessianError, errors.HessianVector));
                paths++;
            }
        }

        output.WriteLine($"{cases.Length} engine cases, {paths} case × path pairs; worst relative error: output {outputError:G3}, VJP {gradientError:G3}, HVP {hessianError:G3}");
        Assert.True(Math.Max(outputError, Math.Max(gradientError, hessianError)) <= TorchOracle.Tolerance);
    }

    private static IEnumerable<OracleCase> EngineCases() => TorchOracle.Cases.Where(c => !TorchOracle.NetworkLayerOps.Contains(c.Op));
}
