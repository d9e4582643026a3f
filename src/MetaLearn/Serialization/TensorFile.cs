using MetaLearn.Tensors;
using MetaLearn.Tensors.Serialization;

namespace MetaLearn.Serialization;

/// <summary>Named tensors to and from safetensors files, with every value copied (saving never aliases live tensors).</summary>
internal static class TensorFile
{
    /// <summary>Writes the tensors atomically: a crash mid-way leaves any previous file at <paramref name="path"/> intact.</summary>
    public static void Save(string path, IReadOnlyList<(string Name, Tensor Value)> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var entries = new List<SafeTensorsEntry>(tensors.Count);
        foreach (var (name, value) in tensors)
        {
            entries.Add(value.DType == DType.Float32
                ? SafeTensorsEntry.FromFloat32(name, value.Shape.AsSpan(), value.ToArray())
                : SafeTensorsEntry.FromFloat64(name, value.Shape.AsSpan(), value.ToDoubleArray()));
        }

        SafeTensors.Save(path, entries, metadata);
    }

    /// <summary>Reads every tensor (fully validated by the format reader) and the metadata.</summary>
    /// <exception cref="SafeTensorsFormatException">The file is corrupt, truncated or not safetensors.</exception>
    public static (IReadOnlyList<(string Name, Tensor Value)> Tensors, IReadOnlyDictionary<string, string> Metadata) Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var document = SafeTensors.LoadDocument(path);
        var tensors = new List<(string, Tensor)>(document.Tensors.Count);
        foreach (var entry in document.Tensors)
        {
            var value = entry.DType == SafeTensorsDType.Float32
                ? Tensor.FromSpan((ReadOnlySpan<float>)entry.Float32Data, entry.Shape.AsSpan())
                : Tensor.FromSpan((ReadOnlySpan<double>)entry.Float64Data, entry.Shape.AsSpan());
            tensors.Add((entry.Name, value));
        }

        return (tensors, document.Metadata);
    }
}
