using System.Collections.Immutable;

namespace MetaLearn.Tensors.Serialization;

/// <summary>
/// One tensor's entry in a validated safetensors header: what the file declares, before any of its data is read. The
/// byte range has been checked against the file's length, so reading it never goes past the end of the file.
/// </summary>
/// <param name="Name">The tensor's name (its key in the header).</param>
/// <param name="DType">The element type stored in the file.</param>
/// <param name="Shape">The dimensions, outermost first; empty for a scalar.</param>
/// <param name="ElementCount">The product of the dimensions (1 for a scalar). It may exceed what one .NET array holds; reading such a tensor fails.</param>
/// <param name="DataBegin">Start of the tensor's bytes within the data buffer that follows the header (the first of <c>data_offsets</c>).</param>
/// <param name="DataEnd">End (exclusive) of the tensor's bytes within the data buffer (the second of <c>data_offsets</c>).</param>
public sealed record SafeTensorsTensorInfo(string Name, SafeTensorsDType DType, ImmutableArray<int> Shape, long ElementCount, long DataBegin, long DataEnd)
{
    /// <summary>The number of bytes the tensor occupies in the file: <see cref="DataEnd"/> − <see cref="DataBegin"/>.</summary>
    public long ByteLength => DataEnd - DataBegin;

    /// <summary>The shape as text, e.g. <c>[64, 1, 3, 3]</c>, for messages.</summary>
    public string ShapeText => Shapes.Format(Shape);
}
