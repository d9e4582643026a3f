using MetaLearn.NN;
using MetaLearn.Tensors.Serialization;

namespace MetaLearn.Serialization;

/// <summary>
/// Saves and loads a module's parameters, buffers and counters as safetensors, under their dotted names (PyTorch's
/// layout: <c>features.0.norm.running_mean</c>, <c>features.0.norm.num_batches_tracked</c> as I64), so weights move between
/// MetaLearn and PyTorch.
/// </summary>
public static class ModuleCheckpoint
{
    /// <summary>
    /// Writes every parameter and buffer of <paramref name="module"/> (in its dtype) and every counter (as an I64 scalar) to
    /// <paramref name="path"/>, atomically: a failure leaves any previous file intact.
    /// </summary>
    /// <param name="module">The module to save.</param>
    /// <param name="path">The destination file; its folder must exist.</param>
    /// <param name="metadata">Optional free-form string metadata.</param>
    /// <exception cref="IOException">The file could not be written; the message names <paramref name="path"/>.</exception>
    public static void Save(Module module, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        TensorFile.Save(path, [.. module.NamedParameters(), .. module.NamedBuffers()], module.NamedCounters(), metadata);
    }

    /// <summary>Loads <paramref name="path"/> into <paramref name="module"/>, strictly or not, with the other options at their defaults.</summary>
    /// <param name="module">The module to fill.</param>
    /// <param name="path">A safetensors file.</param>
    /// <param name="strict">See <see cref="ModuleLoadOptions.Strict"/>.</param>
    /// <returns>What was loaded and what was skipped.</returns>
    /// <exception cref="SafeTensorsFormatException">The file is corrupt or not safetensors.</exception>
    /// <exception cref="InvalidDataException">A strict load found the file does not match the module, or a value is not finite.</exception>
    public static LoadReport Load(Module module, string path, bool strict) => Load(module, path, new ModuleLoadOptions { Strict = strict });

    /// <summary>
    /// Loads <paramref name="path"/> into <paramref name="module"/>. The header is matched against the module first; then
    /// only the tensors that will be used are read (every size checked against the file before anything is allocated);
    /// everything is read and checked before any value is copied, so a failure leaves the module unchanged.
    /// </summary>
    /// <param name="module">The module to fill.</param>
    /// <param name="path">A safetensors file (from MetaLearn or PyTorch's <c>state_dict</c>).</param>
    /// <param name="options">Strictness, dtype conversion, integer-buffer policy, non-finite values and a byte cap; strict and exact by default.</param>
    /// <returns>What was loaded, converted, missing, unexpected, mismatched and skipped.</returns>
    /// <exception cref="SafeTensorsFormatException">The file is corrupt, not safetensors, or passes <see cref="ModuleLoadOptions.MaxTotalBytes"/>;
    /// the message names the file.</exception>
    /// <exception cref="InvalidDataException">A strict load found missing, unknown or mismatched tensors (each is named), or a value is not finite.</exception>
    /// <exception cref="IOException">The file could not be opened or read.</exception>
    public static LoadReport Load(Module module, string path, ModuleLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new ModuleLoadOptions();
        using var reader = SafeTensorsReader.Open(path, options.ReadOptions);
        var plan = CheckpointPlan.Create(module, reader, options);
        if (options.Strict && plan.HasProblems)
        {
            throw plan.StrictError(path);
        }

        plan.Apply(reader, path, options);
        return plan.Report(path);
    }
}
