using System.Runtime.InteropServices;
using MetaLearn.Tensors;

namespace MetaLearn.Orleans;

/// <summary>A tensor on the wire: its dtype, shape and raw little-endian element bytes (exact: no rounding on the way).</summary>
[GenerateSerializer]
[Immutable]
internal sealed class TensorPayload
{
    [Id(0)]
    public DType DType { get; init; }

    [Id(1)]
    public int[] Shape { get; init; } = [];

    [Id(2)]
    public byte[] Data { get; init; } = [];

    public static TensorPayload From(Tensor tensor)
    {
        byte[] data = tensor.DType == DType.Float32
            ? MemoryMarshal.AsBytes(tensor.AsSpan<float>()).ToArray()
            : MemoryMarshal.AsBytes(tensor.AsSpan<double>()).ToArray();
        return new TensorPayload { DType = tensor.DType, Shape = [.. tensor.Shape], Data = data };
    }

    public Tensor ToTensor()
        => DType == DType.Float32
            ? Tensor.FromSpan(MemoryMarshal.Cast<byte, float>(Data), Shape)
            : Tensor.FromSpan(MemoryMarshal.Cast<byte, double>(Data), Shape);

    /// <summary>Copies the values into <paramref name="target"/>, which must have this dtype and shape.</summary>
    public void CopyTo(Tensor target, string name)
    {
        if (target.DType != DType || !target.Shape.SequenceEqual(Shape))
        {
            throw new InvalidOperationException($"MetaLearn.Orleans: meta-parameter '{name}' is {target.DType} {Shapes.Format(target.Shape)} on this silo, "
                + $"{DType} {Shapes.Format(Shape)} at the coordinator: the learner registered here is not the coordinator's.");
        }

        Span<byte> bytes = DType == DType.Float32 ? MemoryMarshal.AsBytes(target.AsSpan<float>()) : MemoryMarshal.AsBytes(target.AsSpan<double>());
        Data.CopyTo(bytes);
    }
}
