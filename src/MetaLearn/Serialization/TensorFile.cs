using MetaLearn.NN;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Serialization;

namespace MetaLearn.Serialization;

/// <summary>Named tensors to and from safetensors files, with every value copied (saving never aliases live tensors).</summary>
internal static class TensorFile
{
    /// <summary>Writes the tensors atomically: a crash mid-way leaves any previous file at <paramref name="path"/> intact.</summary>
    public static void Save(string path, IReadOnlyList<(string Name, Tensor Value)> tensors, IReadOnlyDictionary<string, string>? metadata)
        => Save(path, tensors, [], metadata);

    /// <summary>Writes the tensors, and the counters as I64 scalars, atomically.</summary>
    public static void Save(
        string path,
        IReadOnlyList<(string Name, Tensor Value)> tensors,
        IReadOnlyList<(string Name, ModuleCounter Counter)> counters,
        IReadOnlyDictionary<string, string>? metadata)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(counters);
        var entries = new List<SafeTensorsEntry>(tensors.Count + counters.Count);
        foreach (var (name, value) in tensors)
        {
            entries.Add(value.DType == DType.Float32
                ? SafeTensorsEntry.FromFloat32(name, value.Shape.AsSpan(), value.ToArray())
                : SafeTensorsEntry.FromFloat64(name, value.Shape.AsSpan(), value.ToDoubleArray()));
        }

        foreach (var (name, counter) in counters)
        {
            entries.Add(SafeTensorsEntry.FromInt64(name, [], [counter.Value]));
        }

        SafeTensors.Save(path, entries, metadata);
    }

    /// <summary>
    /// Reads every tensor (fully validated by the format reader) and the metadata. Files of this kind hold F32 and F64
    /// tensors only, and NaN or infinite values are rejected, naming the tensor.
    /// </summary>
    /// <exception cref="SafeTensorsFormatException">The file is corrupt, truncated or not safetensors.</exception>
    /// <exception cref="InvalidDataException">A tensor has another dtype, or a value is NaN or infinite.</exception>
    public static (IReadOnlyList<(string Name, Tensor Value)> Tensors, IReadOnlyDictionary<string, string> Metadata) Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        const string Remedy = "a state with them cannot be resumed";
        using var reader = SafeTensorsReader.Open(path);
        var tensors = new List<(string, Tensor)>(reader.Tensors.Count);
        foreach (var info in reader.Tensors)
        {
            Tensor value;
            switch (info.DType)
            {
                case SafeTensorsDType.Float32:
                    var floats = reader.ReadFloat32(info.Name);
                    FiniteValues.Require<float>(floats, path, info.Name, Remedy);
                    value = Tensor.FromSpan((ReadOnlySpan<float>)floats, info.Shape.AsSpan());
                    break;
                case SafeTensorsDType.Float64:
                    var doubles = reader.ReadFloat64(info.Name);
                    FiniteValues.Require<double>(doubles, path, info.Name, Remedy);
                    value = Tensor.FromSpan((ReadOnlySpan<double>)doubles, info.Shape.AsSpan());
                    break;
                default:
                    throw new InvalidDataException(
                        $"Checkpoint '{path}': tensor '{info.Name}' is {info.DType.ToHeaderString()}; this kind of checkpoint holds F32 and F64 tensors only.");
            }

            tensors.Add((info.Name, value));
        }

        return (tensors, reader.Metadata);
    }
}
