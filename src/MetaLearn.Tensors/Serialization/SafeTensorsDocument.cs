namespace MetaLearn.Tensors.Serialization;

/// <summary>The complete, validated contents of a safetensors file: its tensors and its metadata.</summary>
public sealed class SafeTensorsDocument
{
    private readonly Dictionary<string, SafeTensorsEntry> _byName;

    internal SafeTensorsDocument(IReadOnlyList<SafeTensorsEntry> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        Tensors = tensors;
        Metadata = metadata;
        _byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>The tensors, in the order their data appears in the file.</summary>
    public IReadOnlyList<SafeTensorsEntry> Tensors { get; }

    /// <summary>The <c>__metadata__</c> map; empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Looks up a tensor by name (ordinal comparison).</summary>
    /// <param name="name">The tensor name.</param>
    /// <returns>The tensor, or <see langword="null"/> if the file has no tensor of that name.</returns>
    public SafeTensorsEntry? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.GetValueOrDefault(name);
    }
}
