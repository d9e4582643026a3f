namespace MetaLearn.Tensors.Serialization;

/// <summary>A validated header: tensor descriptions sorted by data offset, plus the metadata map.</summary>
/// <param name="Tensors">Tensor descriptions in data-buffer order; together they cover the buffer exactly.</param>
/// <param name="Metadata">The <c>__metadata__</c> map (empty if absent).</param>
internal sealed record SafeTensorsHeader(IReadOnlyList<SafeTensorsTensorInfo> Tensors, IReadOnlyDictionary<string, string> Metadata);
