using System.Text;
using MetaLearn.Tensors;

namespace MetaLearn.Transfer.FineTuning;

/// <summary>
/// What a parameter transfer did: which of the target's tensors came from the source, which the source lacks, which of
/// the source's went unused, which were mismatched (and re-initialized or skipped), and the transferred values
/// themselves as anchors for L2-SP.
/// </summary>
public sealed class TransferReport
{
    internal TransferReport(
        IReadOnlyList<string> copied,
        IReadOnlyList<string> missingInSource,
        IReadOnlyList<string> unusedSource,
        IReadOnlyList<ParameterMismatch> mismatched,
        IReadOnlyList<string> reinitialized,
        IReadOnlyList<Tensor?> anchors)
    {
        Copied = copied;
        MissingInSource = missingInSource;
        UnusedSource = unusedSource;
        Mismatched = mismatched;
        Reinitialized = reinitialized;
        Anchors = anchors;
    }

    /// <summary>The target's parameters and buffers whose values now come from the source, in the target's order.</summary>
    public IReadOnlyList<string> Copied { get; }

    /// <summary>The target's parameters and buffers that the source does not have; they keep their values.</summary>
    public IReadOnlyList<string> MissingInSource { get; }

    /// <summary>The source's tensors that the target does not have.</summary>
    public IReadOnlyList<string> UnusedSource { get; }

    /// <summary>Tensors named by both with other shapes.</summary>
    public IReadOnlyList<ParameterMismatch> Mismatched { get; }

    /// <summary>The mismatched tensors that were drawn afresh (<see cref="ShapeMismatchPolicy.Reinitialize"/>).</summary>
    public IReadOnlyList<string> Reinitialized { get; }

    /// <summary>
    /// One entry per target parameter (in <see cref="NN.Module.Parameters"/> order): a copy of the value transferred from
    /// the source, or null for a parameter that has none (a new head). What <see cref="MetaLearning.Penalties.L2SP"/> pulls toward.
    /// </summary>
    public IReadOnlyList<Tensor?> Anchors { get; }

    /// <summary>Whether every target tensor came from the source and every source tensor was used.</summary>
    public bool IsComplete => MissingInSource.Count == 0 && UnusedSource.Count == 0 && Mismatched.Count == 0;

    /// <summary>A summary: the counts, then one line per tensor that was not simply copied.</summary>
    /// <returns>The text, for a log.</returns>
    public override string ToString()
    {
        var text = new StringBuilder($"Transfer: {Copied.Count} copied");
        Append(text, "missing from the source", MissingInSource);
        Append(text, "unused in the source", UnusedSource);
        Append(text, "mismatched", [.. Mismatched.Select(m => m.ToString())]);
        Append(text, "re-initialized", Reinitialized);
        return text.ToString();
    }

    private static void Append(StringBuilder text, string title, IReadOnlyList<string> names)
    {
        if (names.Count == 0)
        {
            return;
        }

        text.Append($"; {names.Count} {title}:");
        foreach (var name in names)
        {
            text.Append($"{Environment.NewLine}  {name}");
        }
    }
}
