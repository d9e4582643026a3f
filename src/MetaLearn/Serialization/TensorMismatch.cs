using System.Collections.Immutable;
using MetaLearn.Tensors.Serialization;
using MetaLearn.Tensors;

namespace MetaLearn.Serialization;

/// <summary>
/// A tensor that a source (a checkpoint file or a live module) and a target module both name, but with another shape or
/// an unconverted dtype. Reported alike by <see cref="ModuleCheckpoint"/> and by parameter transfer.
/// </summary>
/// <param name="Name">The dotted name.</param>
/// <param name="SourceDType">The source's dtype (the file's, or the source module's as a file dtype).</param>
/// <param name="SourceShape">The source's shape.</param>
/// <param name="TargetDType">The target's dtype (<see cref="SafeTensorsDType.Int64"/> for a counter).</param>
/// <param name="TargetShape">The target's shape (empty for a counter).</param>
public sealed record TensorMismatch(string Name, SafeTensorsDType SourceDType, ImmutableArray<int> SourceShape, SafeTensorsDType TargetDType,
    ImmutableArray<int> TargetShape)
{
    /// <summary>Whether the shapes differ (otherwise only the dtypes do).</summary>
    public bool ShapeDiffers => !SourceShape.AsSpan().SequenceEqual(TargetShape.AsSpan());

    /// <summary>Whether <paramref name="other"/> names the same tensor with the same dtypes and shapes (shapes compared element by element).</summary>
    /// <param name="other">The record to compare with.</param>
    /// <returns>True when every field is equal.</returns>
    public bool Equals(TensorMismatch? other) =>
        other is not null && Name == other.Name && SourceDType == other.SourceDType && TargetDType == other.TargetDType
            && SourceShape.AsSpan().SequenceEqual(other.SourceShape.AsSpan()) && TargetShape.AsSpan().SequenceEqual(other.TargetShape.AsSpan());

    /// <summary>A hash of every field, consistent with <see cref="Equals(TensorMismatch?)"/>.</summary>
    /// <returns>The hash.</returns>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Name, StringComparer.Ordinal);
        hash.Add(SourceDType);
        hash.Add(TargetDType);
        foreach (var size in SourceShape.AsSpan())
        {
            hash.Add(size);
        }

        foreach (var size in TargetShape.AsSpan())
        {
            hash.Add(size);
        }

        return hash.ToHashCode();
    }

    /// <summary>A sentence naming the tensor and both dtypes and shapes, e.g. <c>'classifier.weight' is F32 [5, 64] in the source; the target
    /// expects F32 [20, 64]</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => Describe("the source", "the target");

    /// <summary>The sentence of <see cref="ToString"/> with other words for the two sides, e.g. "the file" and "the module".</summary>
    internal string Describe(string source, string target) =>
        $"'{Name}' is {SourceDType.ToHeaderString()} {Shapes.Format(SourceShape)} in {source}; {target} expects "
            + $"{TargetDType.ToHeaderString()} {Shapes.Format(TargetShape)}";
}
