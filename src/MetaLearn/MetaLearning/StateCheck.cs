using MetaLearn.Tensors;

namespace MetaLearn.MetaLearning;

/// <summary>Validation and copying shared by every <see cref="IMetaLearner.ImportState"/>.</summary>
internal static class StateCheck
{
    /// <summary>Checks that <paramref name="state"/> has exactly the expected names, shapes and dtypes before anything is copied.</summary>
    public static void Validate(IReadOnlyList<(string Name, Tensor Value)> expected, IReadOnlyDictionary<string, Tensor> state, string paramName)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, value) in expected)
        {
            names.Add(name);
            if (!state.TryGetValue(name, out var given))
            {
                throw new ArgumentException($"State: '{name}' is missing.", paramName);
            }

            if (given.DType != value.DType || !given.Shape.SequenceEqual(value.Shape))
            {
                throw new ArgumentException($"State: '{name}' is {given.DType} [{string.Join(", ", given.Shape)}], expected {value.DType} [{string.Join(", ", value.Shape)}].", paramName);
            }
        }

        foreach (var name in state.Keys)
        {
            if (!names.Contains(name))
            {
                throw new ArgumentException($"State: '{name}' is not part of this meta-learner's state.", paramName);
            }
        }
    }

    /// <summary>Copies of a model's parameters ("model.NAME") and buffers ("buffer.NAME"), the common part of every meta-learner's state.</summary>
    public static List<(string Name, Tensor Value)> ExportModel(MetaLearn.NN.Module model)
    {
        var state = new List<(string, Tensor)>();
        state.AddRange(model.NamedParameters().Select(p => ("model." + p.Name, p.Value.Clone())));
        state.AddRange(model.NamedBuffers().Select(b => ("buffer." + b.Name, b.Value.Clone())));
        return state;
    }

    /// <summary>The live tensors behind <see cref="ExportModel"/>'s entries, in the same order.</summary>
    public static List<Tensor> ModelTargets(MetaLearn.NN.Module model)
        => [.. model.NamedParameters().Select(p => p.Value), .. model.NamedBuffers().Select(b => b.Value)];

    /// <summary>Copies each validated entry of <paramref name="state"/> into the live tensor at the same position of <paramref name="expected"/>.</summary>
    public static void CopyAll(IReadOnlyList<(string Name, Tensor Value)> expected, IReadOnlyDictionary<string, Tensor> state, IReadOnlyList<Tensor> targets)
    {
        for (int i = 0; i < targets.Count; i++)
        {
            CopyInto(state[expected[i].Name], targets[i]);
        }
    }

    /// <summary>Copies the values of <paramref name="source"/> into <paramref name="target"/> in place (same shape and dtype).</summary>
    public static void CopyInto(Tensor source, Tensor target) => target.CopyFrom(source);
}
