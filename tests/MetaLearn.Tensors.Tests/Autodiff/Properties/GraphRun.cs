namespace MetaLearn.Tensors.Tests.Autodiff.Properties;

/// <summary>The values of one run of a <see cref="GraphProgram"/>: the leaves, then one value per step.</summary>
internal sealed class GraphRun(Tensor[] values, string[] names, bool[] fresh, int[] sinks, string[] lines)
{
    /// <summary>Leaves first, then one value per step.</summary>
    public Tensor[] Values { get; } = values;

    /// <summary>The name of each value in the printed program.</summary>
    public string[] Names { get; } = names;

    /// <summary>Whether the value is a tensor no earlier value is (an identity reshape returns its input).</summary>
    public bool[] Fresh { get; } = fresh;

    /// <summary>The values no step reads: the program's output is the sum of their sums.</summary>
    public int[] Sinks { get; } = sinks;

    /// <summary>The program as text, one assignment per line.</summary>
    public string[] Lines { get; } = lines;

    /// <summary>y = Σ over the sinks of Sum(sink): a scalar that every unused value feeds.</summary>
    public Tensor Output()
    {
        Tensor? total = null;
        foreach (int sink in Sinks)
        {
            var term = Values[sink].Sum();
            total = total is null ? term : total + term;
        }

        return total!;
    }

    /// <summary>The line that defines the output.</summary>
    public string OutputLine => "y = " + string.Join(" + ", Sinks.Select(s => $"Sum({Names[s]})"));
}
