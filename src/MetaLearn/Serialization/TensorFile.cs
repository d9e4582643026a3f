using MetaLearn.Tensors;

namespace MetaLearn.Serialization;

/// <summary>Named tensors to and from safetensors files (adapter over the format code). PENDING MERGE.</summary>
internal static class TensorFile
{
    public static void Save(string path, IReadOnlyList<(string Name, Tensor Value)> tensors, IReadOnlyDictionary<string, string> metadata)
        => throw new NotImplementedException();

    public static (IReadOnlyList<(string Name, Tensor Value)> Tensors, IReadOnlyDictionary<string, string> Metadata) Load(string path)
        => throw new NotImplementedException();
}
