using MetaLearn.Optim;
using MetaLearn.Tensors;

namespace MetaLearn.Serialization;

/// <summary>
/// Saves and loads an optimizer's state (step counts, learning rate, moment buffers; PyTorch's state names) as a
/// safetensors file of float64 tensors, so training resumes exactly.
/// </summary>
public static class OptimizerCheckpoint
{
    /// <summary>Writes the state of <paramref name="optimizer"/> to <paramref name="path"/>, atomically.</summary>
    public static void Save(Optimizer optimizer, string path)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        var tensors = optimizer.ExportState().Select(s => (s.Name, Tensor.FromSpan((ReadOnlySpan<double>)s.Data, s.Shape))).ToList();
        TensorFile.Save(path, tensors, new Dictionary<string, string> { ["optimizer"] = optimizer.GetType().Name });
    }

    /// <summary>Loads a state saved by <see cref="Save"/> into an optimizer of the same kind over parameters of the same shapes.</summary>
    /// <exception cref="Tensors.Serialization.SafeTensorsFormatException">The file is corrupt or not safetensors.</exception>
    /// <exception cref="InvalidDataException">The file holds the state of another kind of optimizer, or of other parameters.</exception>
    public static void Load(Optimizer optimizer, string path)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        var (tensors, metadata) = TensorFile.Load(path);
        if (metadata.TryGetValue("optimizer", out var kind) && kind != optimizer.GetType().Name)
        {
            throw new InvalidDataException($"Optimizer checkpoint '{path}' holds the state of a {kind}, not of a {optimizer.GetType().Name}.");
        }

        try
        {
            optimizer.ImportState([.. tensors.Select(t => (t.Name, t.Value.Shape.ToArray(), t.Value.ToDoubleArray()))]);
        }
        catch (ArgumentException error)
        {
            throw new InvalidDataException($"Optimizer checkpoint '{path}' does not match the optimizer: {error.Message}", error);
        }
    }
}
