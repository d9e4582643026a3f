using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Serialization;

/// <summary>
/// Saves and loads a module's parameters and buffers as safetensors, under their dotted names (PyTorch's layout), so
/// weights move between MetaLearn and PyTorch.
/// </summary>
public static class ModuleCheckpoint
{
    /// <summary>Writes every parameter and buffer of <paramref name="module"/> to <paramref name="path"/>, atomically.</summary>
    public static void Save(Module module, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        TensorFile.Save(path, [.. module.NamedParameters(), .. module.NamedBuffers()], metadata);
    }

    /// <summary>
    /// Loads <paramref name="path"/> into <paramref name="module"/>. Everything is validated before any value is copied, so a
    /// bad file leaves the module unchanged.
    /// </summary>
    /// <param name="module">The module to fill.</param>
    /// <param name="path">A safetensors file.</param>
    /// <param name="strict">
    /// True (the default): the file must hold exactly the module's tensors, with the same shapes and dtypes. False: tensors of
    /// the module missing from the file keep their values and tensors of the file unknown to the module are ignored (shapes
    /// and dtypes of the tensors that do match must still agree). Use it to load a backbone into a model with a new head.
    /// </param>
    /// <returns>The names that were loaded.</returns>
    /// <exception cref="Tensors.Serialization.SafeTensorsFormatException">The file is corrupt or not safetensors.</exception>
    /// <exception cref="InvalidDataException">The file's tensors do not match the module.</exception>
    public static IReadOnlyList<string> Load(Module module, string path, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(module);
        var (tensors, _) = TensorFile.Load(path);
        var file = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, value) in tensors)
        {
            file[name] = value;
        }

        var targets = new List<(string Name, Tensor Value)>([.. module.NamedParameters(), .. module.NamedBuffers()]);
        var known = new HashSet<string>(targets.Select(t => t.Name), StringComparer.Ordinal);
        var plan = new List<(Tensor Source, Tensor Target)>();
        foreach (var (name, target) in targets)
        {
            if (!file.TryGetValue(name, out var source))
            {
                if (strict)
                {
                    throw new InvalidDataException($"Checkpoint '{path}': tensor '{name}' of the module is missing (load with strict: false to keep its current value).");
                }

                continue;
            }

            if (source.DType != target.DType || !source.Shape.SequenceEqual(target.Shape))
            {
                throw new InvalidDataException($"Checkpoint '{path}': tensor '{name}' is {source.DType} [{string.Join(", ", source.Shape)}], the module expects {target.DType} [{string.Join(", ", target.Shape)}].");
            }

            plan.Add((source, target));
        }

        if (strict)
        {
            foreach (var name in file.Keys)
            {
                if (!known.Contains(name))
                {
                    throw new InvalidDataException($"Checkpoint '{path}': tensor '{name}' is not part of the module (load with strict: false to ignore it).");
                }
            }
        }

        foreach (var (source, target) in plan)
        {
            target.CopyFrom(source);
        }

        return [.. targets.Where(t => file.ContainsKey(t.Name)).Select(t => t.Name)];
    }
}
