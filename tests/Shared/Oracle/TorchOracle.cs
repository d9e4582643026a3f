using System.Text.Json;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;

namespace MetaLearn.Testing.Oracle;

/// <summary>
/// The 77 float64 libtorch reference cases (copied into the repository from the shared oracle) and how a path of the
/// library is held against them: output, the vector-Jacobian product on both first-order paths (<c>Grad</c> with and
/// without <c>createGraph</c>) and the Hessian-vector product with the outer pass plain and recorded.
/// </summary>
internal static class TorchOracle
{
    /// <summary>Largest relative error accepted, on every kind.</summary>
    public const double Tolerance = 1e-6;

    /// <summary>The ops whose paths live in the network layer (losses, distances, MAML programs); the rest are engine ops.</summary>
    public static readonly string[] NetworkLayerOps = ["mse_loss", "cross_entropy", "nll_loss", "binary_cross_entropy_with_logits", "cdist", "pairwise_distance", "cosine_similarity", "program"];

    private static readonly Lazy<OracleCase[]> s_cases = new(() => Load("torch-cases.json"));

    public static IReadOnlyList<OracleCase> Cases => s_cases.Value;

    public static OracleCase Case(string name) => Cases.Single(c => c.Name == name);

    /// <summary>One theory row (case name, path name) per path that <paramref name="paths"/> gives for each case.</summary>
    public static TheoryData<string, string> Rows(IEnumerable<OracleCase> cases, Func<OracleCase, IEnumerable<string>> paths)
    {
        var rows = new TheoryData<string, string>();
        foreach (var c in cases)
        {
            foreach (string path in paths(c))
            {
                rows.Add(c.Name, path);
            }
        }

        return rows;
    }

    /// <summary>Runs <paramref name="function"/> on fresh leaves holding the case's inputs and measures it on all three kinds.</summary>
    public static OracleErrors Evaluate(OracleCase c, Func<Tensor[], Tensor> function)
    {
        var leaves = c.Leaves();
        var y = function(leaves);
        double output = Error([y], [c.Output]);
        var v = c.Cotangent.ToTensor();
        var plain = Autograd.Grad([y], leaves, [v], createGraph: false, allowUnused: true);
        var recorded = Autograd.Grad([y], leaves, [v], createGraph: true, allowUnused: true);
        double gradient = Math.Max(Error(plain, c.Grads), Error(recorded, c.Grads));

        Tensor? inner = null;
        for (int i = 0; i < leaves.Length; i++)
        {
            if (recorded[i] is { } g)
            {
                var term = (g * c.Directions[i].ToTensor()).Sum();
                inner = inner is null ? term : inner + term;
            }
        }

        double hessianVector = inner is not null && inner.RequiresGrad
            ? Math.Max(
                Error(Autograd.Grad([inner], leaves, null, createGraph: false, allowUnused: true), c.Grad2),
                Error(Autograd.Grad([inner], leaves, null, createGraph: true, allowUnused: true), c.Grad2))
            : Error(new Tensor?[leaves.Length], c.Grad2);
        return new OracleErrors(output, gradient, hessianVector);
    }

    /// <summary>
    /// The worst normwise relative error ‖a − r‖/‖r‖ over the arrays of one kind (null means zeros). A reference that is the
    /// rounding noise of a zero gradient (‖r‖ ≤ 1e-12 of the kind's norm) is judged against the norm of the whole kind, as the
    /// oracle's README says; a kind that is all zeros is judged by the absolute error.
    /// </summary>
    public static double Error(IReadOnlyList<Tensor?> actual, IReadOnlyList<OracleArray> expected)
    {
        Assert.Equal(expected.Count, actual.Count);
        double kind = Math.Sqrt(expected.Sum(r => r.Data.Sum(x => x * x)));
        double worst = 0;
        for (int i = 0; i < expected.Count; i++)
        {
            var reference = expected[i];
            if (actual[i] is { } tensor)
            {
                Assert.Equal(reference.Shape, tensor.Shape.ToArray());
            }

            var values = actual[i]?.ToDoubleArray() ?? new double[reference.Data.Length];
            double difference = Math.Sqrt(values.Zip(reference.Data, (a, r) => (a - r) * (a - r)).Sum());
            double own = Math.Sqrt(reference.Data.Sum(x => x * x));
            double scale = own > 1e-12 * kind ? own : kind;
            worst = Math.Max(worst, scale > 0 ? difference / scale : difference);
        }

        return worst;
    }

    /// <summary>The cases of a <c>torch-oracle/1</c> file copied beside the tests' assembly under <c>Oracle</c>.</summary>
    public static OracleCase[] Load(string fileName)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Oracle", fileName);
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        Assert.Equal("torch-oracle/1", root.GetProperty("format").GetString());
        var cases = root.GetProperty("cases").EnumerateArray().Select(e => new OracleCase(e)).ToArray();
        Assert.Equal(root.GetProperty("num_cases").GetInt32(), cases.Length);
        return cases;
    }
}
