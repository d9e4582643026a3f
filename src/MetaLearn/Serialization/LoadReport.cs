using System.Text;

namespace MetaLearn.Serialization;

/// <summary>
/// What <see cref="ModuleCheckpoint.Load(NN.Module, string, ModuleLoadOptions?)"/> did: which of the module's tensors and
/// counters came from the file (<see cref="TensorMatchReport.Copied"/>), and every name it skipped, with the reason.
/// </summary>
public sealed class LoadReport : TensorMatchReport
{
    /// <summary>The words for the file in messages about a checkpoint.</summary>
    internal const string FileName = "the file";

    /// <summary>The words for the module in messages about a checkpoint.</summary>
    internal const string ModuleName = "the module";

    internal LoadReport(
        string path,
        IReadOnlyList<string> loaded,
        IReadOnlyList<string> converted,
        IReadOnlyList<string> missing,
        IReadOnlyList<string> unexpected,
        IReadOnlyList<TensorMismatch> mismatched,
        IReadOnlyList<string> skippedIntegerTensors,
        IReadOnlyList<string> countersNotInFile)
        : base(FileName, ModuleName, $"not in {ModuleName}", loaded, missing, unexpected, mismatched)
    {
        Path = path;
        Converted = converted;
        SkippedIntegerTensors = skippedIntegerTensors;
        CountersNotInFile = countersNotInFile;
    }

    /// <summary>The checkpoint's path, as given.</summary>
    public string Path { get; }

    /// <summary>The entries of <see cref="TensorMatchReport.Copied"/> that were stored in another dtype and converted to the module's.</summary>
    public IReadOnlyList<string> Converted { get; }

    /// <summary>Integer and boolean tensors of the file that were not loaded (by <see cref="IntegerBufferPolicy"/>, or because the module has no
    /// counter of that name).</summary>
    public IReadOnlyList<string> SkippedIntegerTensors { get; }

    /// <summary>Counters of the module (such as <c>num_batches_tracked</c>) that the file lacks; they keep their values.</summary>
    public IReadOnlyList<string> CountersNotInFile { get; }

    /// <inheritdoc/>
    private protected override string Headline() => $"Checkpoint '{Path}': {Copied.Count} loaded ({Converted.Count} converted)";

    /// <inheritdoc/>
    private protected override void AppendDetails(StringBuilder text)
    {
        Append(text, "integer tensors skipped", SkippedIntegerTensors);
        Append(text, "counters not in the file", CountersNotInFile);
    }
}
