using System.Collections.Immutable;

namespace MetaLearn.Tensors.Serialization;

/// <summary>A validated header: tensor descriptions sorted by data offset, plus the metadata map.</summary>
/// <param name="Tensors">Tensor descriptions in data-buffer order; together they cover the buffer exactly.</param>
/// <param name="Metadata">The <c>__metadata__</c> map (empty if absent).</param>
internal sealed record SafeTensorsHeader(IReadOnlyList<SafeTensorsTensorInfo> Tensors, IReadOnlyDictionary<string, string> Metadata);

/// <summary>One tensor's header entry after validation.</summary>
/// <param name="Name">The tensor name.</param>
/// <param name="DType">The element type.</param>
/// <param name="Shape">The dimensions.</param>
/// <param name="ElementCount">The product of the dimensions; at most <see cref="Array.MaxLength"/>.</param>
/// <param name="Begin">Start of the data, relative to the data buffer.</param>
/// <param name="End">End (exclusive) of the data, relative to the data buffer.</param>
internal sealed record SafeTensorsTensorInfo(string Name, DType DType, ImmutableArray<int> Shape, int ElementCount, long Begin, long End);
