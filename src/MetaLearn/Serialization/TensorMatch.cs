using MetaLearn.Tensors;

namespace MetaLearn.Serialization;

/// <summary>The result of <see cref="TensorMatcher"/>: the pairs to copy and the names that could not be paired.</summary>
/// <typeparam name="TValue">The source's handle on its data.</typeparam>
internal sealed class TensorMatch<TValue>
{
    /// <summary>Source and target tensors of the same name, shape and (or convertible) dtype, in the target's order.</summary>
    public List<(TensorSource<TValue> Source, Tensor Target)> Matched { get; } = [];

    /// <summary>The target's names that the source lacks, in the target's order.</summary>
    public List<string> Missing { get; } = [];

    /// <summary>The source's tensors that no target names, in the source's order.</summary>
    public List<TensorSource<TValue>> Unused { get; } = [];

    /// <summary>Names both have, with another shape or an unconverted dtype, in the target's order.</summary>
    public List<TensorMismatch> Mismatched { get; } = [];
}
