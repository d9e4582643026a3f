using System.Text;

namespace MetaLearn.Serialization;

/// <summary>
/// What matching a source's tensors to a target module's by dotted name did: which of the target's tensors came from the
/// source, which the source lacks, which of the source's went unused, and which both name with another shape or dtype.
/// The common part of <see cref="LoadReport"/> (a checkpoint file into a module) and
/// <see cref="Transfer.FineTuning.TransferReport"/> (a module or a checkpoint into another module).
/// </summary>
public abstract class TensorMatchReport
{
    private readonly string _sourceName;
    private readonly string _targetName;
    private readonly string _unusedTitle;

    /// <summary>Keeps the lists; the three phrases are the words of <see cref="ToString"/> for the two sides and for <see cref="Unused"/>.</summary>
    private protected TensorMatchReport(
        string sourceName,
        string targetName,
        string unusedTitle,
        IReadOnlyList<string> copied,
        IReadOnlyList<string> missing,
        IReadOnlyList<string> unused,
        IReadOnlyList<TensorMismatch> mismatched)
    {
        _sourceName = sourceName;
        _targetName = targetName;
        _unusedTitle = unusedTitle;
        Copied = copied;
        Missing = missing;
        Unused = unused;
        Mismatched = mismatched;
    }

    /// <summary>The target's tensors (and, for a checkpoint load, counters) whose values now come from the source, in the target's order.</summary>
    public IReadOnlyList<string> Copied { get; }

    /// <summary>The target's parameters and buffers that the source lacks; they keep their values.</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>The source's floating-point tensors that the target does not have; they were not used.</summary>
    public IReadOnlyList<string> Unused { get; }

    /// <summary>Tensors named by both, with another shape or an unconverted dtype; the target's keep their values (or are re-initialized).</summary>
    public IReadOnlyList<TensorMismatch> Mismatched { get; }

    /// <summary>Whether every parameter and buffer of the target came from the source and every float tensor of the source was used.</summary>
    public bool IsComplete => Missing.Count == 0 && Unused.Count == 0 && Mismatched.Count == 0;

    /// <summary>A summary: the counts, then one line per tensor that was not simply copied.</summary>
    /// <returns>The text, for a log.</returns>
    public override string ToString()
    {
        var text = new StringBuilder(Headline());
        Append(text, $"missing from {_sourceName}", Missing);
        Append(text, _unusedTitle, Unused);
        Append(text, "mismatched", [.. Mismatched.Select(m => m.Describe(_sourceName, _targetName))]);
        AppendDetails(text);
        return text.ToString();
    }

    /// <summary>The first words of <see cref="ToString"/>, with the count of <see cref="Copied"/>.</summary>
    private protected abstract string Headline();

    /// <summary>Appends the lists of the derived report after the common ones.</summary>
    private protected abstract void AppendDetails(StringBuilder text);

    /// <summary>Appends "; N title:" and one indented line per name, or nothing for an empty list.</summary>
    private protected static void Append(StringBuilder text, string title, IReadOnlyList<string> names)
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
