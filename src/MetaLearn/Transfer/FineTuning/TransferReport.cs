using System.Text;
using MetaLearn.Serialization;
using MetaLearn.Tensors;

namespace MetaLearn.Transfer.FineTuning;

/// <summary>
/// What a parameter transfer did: which of the target's tensors came from the source, which the source lacks, which of
/// the source's went unused, which were mismatched (and re-initialized or skipped), and the transferred values
/// themselves as anchors for L2-SP.
/// </summary>
public sealed class TransferReport : TensorMatchReport
{
    internal TransferReport(
        IReadOnlyList<string> copied,
        IReadOnlyList<string> missing,
        IReadOnlyList<string> unused,
        IReadOnlyList<TensorMismatch> mismatched,
        IReadOnlyList<string> reinitialized,
        IReadOnlyList<Tensor?> anchors)
        : base("the source", "the target", "unused in the source", copied, missing, unused, mismatched)
    {
        Reinitialized = reinitialized;
        Anchors = anchors;
    }

    /// <summary>The mismatched tensors that were drawn afresh (<see cref="ShapeMismatchPolicy.Reinitialize"/>).</summary>
    public IReadOnlyList<string> Reinitialized { get; }

    /// <summary>
    /// One entry per target parameter (in <see cref="NN.Module.Parameters"/> order): a copy of the value transferred from
    /// the source, or null for a parameter that has none (a new head). What <see cref="MetaLearning.Penalties.L2SP"/> pulls toward.
    /// </summary>
    public IReadOnlyList<Tensor?> Anchors { get; }

    /// <inheritdoc/>
    private protected override string Headline() => $"Transfer: {Copied.Count} copied";

    /// <inheritdoc/>
    private protected override void AppendDetails(StringBuilder text) => Append(text, "re-initialized", Reinitialized);
}
