using System.Text;

namespace MetaLearn.Serialization;

/// <summary>
/// What <see cref="ModuleCheckpoint.Load(NN.Module, string, ModuleLoadOptions?)"/> did: which of the module's tensors and
/// counters came from the file, and every name it skipped, with the reason.
/// </summary>
public sealed class LoadReport
{
    internal LoadReport(
        string path,
        IReadOnlyList<string> loaded,
        IReadOnlyList<string> converted,
        IReadOnlyList<string> missing,
        IReadOnlyList<string> unexpected,
        IReadOnlyList<TensorMismatch> mismatched,
        IReadOnlyList<string> skippedIntegerTensors,
        IReadOnlyList<string> countersNotInFile)
    {
        Path = path;
        Loaded = loaded;
        Converted = converted;
        Missing = missing;
        Unexpected = unexpected;
        Mismatched = mismatched;
        SkippedIntegerTensors = skippedIntegerTensors;
        CountersNotInFile = countersNotInFile;
    }

    /// <summary>The checkpoint's path, as given.</summary>
    public string Path { get; }

    /// <summary>The parameters, buffers and counters whose values now come from the file, in the module's order.</summary>
    public IReadOnlyList<string> Loaded { get; }

    /// <summary>The entries of <see cref="Loaded"/> that were stored in another dtype and converted to the module's.</summary>
    public IReadOnlyList<string> Converted { get; }

    /// <summary>Parameters and buffers of the module that the file lacks; they keep their values.</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>Floating-point tensors of the file that the module does not have; they were not read.</summary>
    public IReadOnlyList<string> Unexpected { get; }

    /// <summary>Tensors named by both, with another shape or an unconverted dtype; the module's keep their values.</summary>
    public IReadOnlyList<TensorMismatch> Mismatched { get; }

    /// <summary>Integer and boolean tensors of the file that were not loaded (by <see cref="IntegerBufferPolicy"/>, or because the module has no
    /// counter of that name).</summary>
    public IReadOnlyList<string> SkippedIntegerTensors { get; }

    /// <summary>Counters of the module (such as <c>num_batches_tracked</c>) that the file lacks; they keep their values.</summary>
    public IReadOnlyList<string> CountersNotInFile { get; }

    /// <summary>Whether every parameter and buffer of the module was loaded and every float tensor of the file was used.</summary>
    public bool IsComplete => Missing.Count == 0 && Unexpected.Count == 0 && Mismatched.Count == 0;

    /// <summary>A summary: the counts, then one line per skipped name.</summary>
    /// <returns>The text, for a log.</returns>
    public override string ToString()
    {
        var text = new StringBuilder($"Checkpoint '{Path}': {Loaded.Count} loaded ({Converted.Count} converted)");
        Append(text, "missing from the file", Missing);
        Append(text, "not in the module", Unexpected);
        Append(text, "mismatched", Mismatched.Select(m => m.ToString()).ToList());
        Append(text, "integer tensors skipped", SkippedIntegerTensors);
        Append(text, "counters not in the file", CountersNotInFile);
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
