using MetaLearn.Serialization;
using MetaLearn.Tensors;

namespace MetaLearn.MetaLearning;

/// <summary>
/// Saves and loads a meta-learner's whole state (model weights and buffers, learned step sizes, outer-optimizer moments,
/// step counters) as one safetensors file, written atomically: what a module checkpoint alone cannot hold.
/// </summary>
public static class MetaLearnerFile
{
    private const string Format = "metalearn-state-1";

    /// <summary>Writes <paramref name="learner"/>'s state to <paramref name="path"/> (atomically: the previous file stays whole if this fails).</summary>
    /// <exception cref="InvalidOperationException">The state holds NaN or infinite values; nothing is written.</exception>
    /// <exception cref="IOException">The file cannot be written; the message names <paramref name="path"/>.</exception>
    public static void Save(string path, IMetaLearner learner)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(learner);
        var metadata = new Dictionary<string, string> { ["format"] = Format, ["learner"] = learner.GetType().Name };
        TensorFile.Save(path, FiniteState(learner, path), metadata);
    }

    /// <summary>Restores <paramref name="learner"/>'s state from a file written by <see cref="Save"/> for a learner of the same kind and shapes.</summary>
    /// <exception cref="InvalidDataException">The file is not a meta-learner state file, or is corrupt; the learner is unchanged.</exception>
    /// <exception cref="ArgumentException">A tensor is missing, extra, of the wrong shape or not finite; the learner is unchanged.</exception>
    public static void Load(string path, IMetaLearner learner)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(learner);
        var (tensors, metadata) = TensorFile.Load(path);
        if (!metadata.TryGetValue("format", out var format) || format != Format)
        {
            throw new InvalidDataException($"'{path}': not a MetaLearn meta-learner state file (format '{format ?? "none"}'); module checkpoints "
                + $"load with ModuleCheckpoint.Load.");
        }

        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, value) in tensors)
        {
            state[name] = value;
        }

        learner.ImportState(state);
    }

    /// <summary>
    /// Writes only the model's parameters and buffers (the entries "model.NAME" and "buffer.NAME" of the state, as NAME), in
    /// the layout <see cref="ModuleCheckpoint.Load(MetaLearn.NN.Module, string, ModuleLoadOptions?)"/> reads, for deployment or PyTorch. Refuses when
    /// the learner has more
    /// inference state than the model (Meta-SGD's learned step sizes) unless <paramref name="dropOtherState"/> is true,
    /// so nothing is lost silently. The outer optimizer's state, which only training needs, is never written.
    /// </summary>
    /// <exception cref="InvalidOperationException">The learner holds other inference state and <paramref name="dropOtherState"/> is false.</exception>
    public static void SaveModel(string path, IMetaLearner learner, bool dropOtherState = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(learner);
        var model = new List<(string, Tensor)>();
        var other = new List<string>();
        foreach (var (name, value) in FiniteState(learner, path))
        {
            if (name.StartsWith("model.", StringComparison.Ordinal))
            {
                model.Add((name["model.".Length..], value));
            }
            else if (name.StartsWith("buffer.", StringComparison.Ordinal))
            {
                model.Add((name["buffer.".Length..], value));
            }
            else if (!name.StartsWith("outer/", StringComparison.Ordinal) && !name.Contains(".iteration", StringComparison.Ordinal))
            {
                other.Add(name);
            }
        }

        if (other.Count > 0 && !dropOtherState)
        {
            throw new InvalidOperationException($"'{path}': {learner.GetType().Name} holds state a model file cannot hold "
                + $"({string.Join(", ", other.Take(3))}{(other.Count > 3 ? ", ..." : string.Empty)}); save it with MetaLearnerFile.Save, or pass "
                    + $"dropOtherState: true to write the model alone.");
        }

        TensorFile.Save(path, model, new Dictionary<string, string> { ["format"] = "metalearn-module-1" });
    }

    /// <summary>The learner's state, checked to be finite before anything is written.</summary>
    internal static IReadOnlyList<(string Name, Tensor Value)> FiniteState(IMetaLearner learner, string path)
    {
        var state = learner.ExportState();
        foreach (var (name, value) in state)
        {
            if (!value.IsFinite())
            {
                throw new InvalidOperationException($"'{path}': not written, because the state entry '{name}' of {learner.GetType().Name} holds "
                    + $"NaN or infinite values; the previous file at this path is left as it was.");
            }
        }

        return state;
    }
}
