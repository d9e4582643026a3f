using MetaLearn.Tensors;

namespace MetaLearn.MetaLearning;

/// <summary>Validation and copying shared by every <see cref="IMetaLearner.ImportState"/>.</summary>
internal static class StateCheck
{
    private const string CounterPrefix = "counter.";

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

            if (given is null)
            {
                throw new ArgumentException($"State: '{name}' is null.", paramName);
            }

            if (given.DType != value.DType || !given.Shape.SequenceEqual(value.Shape))
            {
                throw new ArgumentException($"State: '{name}' is {given.DType} {Shapes.Format(given.Shape)}, expected {value.DType} "
                    + $"{Shapes.Format(value.Shape)}.", paramName);
            }

            if (!given.IsFinite())
            {
                throw new ArgumentException($"State: '{name}' holds NaN or infinite values; a meta-learner's state must be finite.", paramName);
            }

            if (name.StartsWith(CounterPrefix, StringComparison.Ordinal) && given.Item() is var count && (count < 0 || Math.Floor(count) != count))
            {
                throw new ArgumentException($"State: counter '{name}' is {count}; a counter must be a non-negative integer.", paramName);
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

    /// <summary>Copies of a model's parameters ("model.NAME"), buffers ("buffer.NAME") and counters ("counter.NAME", as float64 scalars), the common
    /// part of every meta-learner's state.</summary>
    public static List<(string Name, Tensor Value)> ExportModel(MetaLearn.NN.Module model)
    {
        var state = new List<(string, Tensor)>();
        state.AddRange(model.NamedParameters().Select(p => ("model." + p.Name, p.Value.Clone())));
        state.AddRange(model.NamedBuffers().Select(b => ("buffer." + b.Name, b.Value.Clone())));
        state.AddRange(model.NamedCounters().Select(c => (CounterPrefix + c.Name, Tensor.Scalar(c.Counter.Value, DType.Float64))));
        return state;
    }

    /// <summary>Copies the validated "model.NAME" and "buffer.NAME" entries of <paramref name="state"/> into the model's live tensors.</summary>
    public static void ImportModel(MetaLearn.NN.Module model, IReadOnlyDictionary<string, Tensor> state)
    {
        foreach (var (name, value) in model.NamedParameters())
        {
            value.CopyFrom(state["model." + name]);
        }

        foreach (var (name, value) in model.NamedBuffers())
        {
            value.CopyFrom(state["buffer." + name]);
        }

        foreach (var (name, counter) in model.NamedCounters())
        {
            counter.Value = (long)state[CounterPrefix + name].Item();
        }
    }
}
