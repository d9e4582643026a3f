using MetaLearn.Optim;
using MetaLearn.Tensors;

namespace MetaLearn.MetaLearning;

/// <summary>An optimizer's exported state as named float64 tensors, for meta-learner checkpoints.</summary>
internal static class OptimizerState
{
    public static IEnumerable<(string Name, Tensor Value)> Export(Optimizer optimizer, string prefix)
        => optimizer.ExportState().Select(s => (prefix + "/" + s.Name, Tensor.FromSpan((ReadOnlySpan<double>)s.Data, s.Shape)));

    /// <summary>Imports the entries under <paramref name="prefix"/>; the optimizer validates names and shapes before changing anything.</summary>
    public static void Import(Optimizer optimizer, string prefix, IReadOnlyDictionary<string, Tensor> state)
    {
        var entries = new List<(string Name, int[] Shape, double[] Data)>();
        foreach (var (name, value) in state)
        {
            if (name.StartsWith(prefix + "/", StringComparison.Ordinal))
            {
                entries.Add((name[(prefix.Length + 1)..], [.. value.Shape], value.ToDoubleArray()));
            }
        }

        optimizer.ImportState(entries);
    }
}
