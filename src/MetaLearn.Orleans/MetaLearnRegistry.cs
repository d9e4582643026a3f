using System.Collections.Concurrent;
using MetaLearn.Data;
using MetaLearn.MetaLearning;

namespace MetaLearn.Orleans;

/// <summary>
/// What every silo knows by name: the learners its workers replicate and the task sources they sample described tasks
/// from. Register the same names, built the same way, on every silo and at the coordinator.
/// </summary>
public sealed class MetaLearnRegistry
{
    private readonly ConcurrentDictionary<string, Func<GradientMetaLearner>> _learners = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ITaskSource> _sources = new(StringComparer.Ordinal);

    /// <summary>
    /// Registers a learner: <paramref name="factory"/> builds a replica (the same type and options as the coordinator's;
    /// parameters that are not meta-parameters, frozen ones say, must come out identical, so seed them the same way).
    /// </summary>
    /// <exception cref="ArgumentException">The name is empty or already registered.</exception>
    public MetaLearnRegistry AddLearner(string name, Func<GradientMetaLearner> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        return _learners.TryAdd(name, factory)
            ? this
            : throw new ArgumentException($"MetaLearnRegistry: a learner named '{name}' is already registered.", nameof(name));
    }

    /// <summary>Registers a task source, from which workers sample the described tasks (<see cref="DescribedTaskSource"/>) of that name.</summary>
    /// <exception cref="ArgumentException">The name is empty or already registered.</exception>
    public MetaLearnRegistry AddTaskSource(string name, ITaskSource source)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(source);
        return _sources.TryAdd(name, source)
            ? this
            : throw new ArgumentException($"MetaLearnRegistry: a task source named '{name}' is already registered.", nameof(name));
    }

    /// <summary>Builds a replica of the learner registered as <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No learner has that name here.</exception>
    public GradientMetaLearner CreateLearner(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _learners.TryGetValue(name, out var factory)
            ? factory() ?? throw new InvalidOperationException($"MetaLearnRegistry: the factory of learner '{name}' returned null.")
            : throw new KeyNotFoundException($"MetaLearnRegistry: no learner named '{name}' is registered on this silo "
                + $"(registered: {string.Join(", ", _learners.Keys.Order())}).");
    }

    /// <summary>The task source registered as <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No task source has that name here.</exception>
    public ITaskSource TaskSource(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _sources.TryGetValue(name, out var source)
            ? source
            : throw new KeyNotFoundException($"MetaLearnRegistry: no task source named '{name}' is registered on this silo "
                + $"(registered: {string.Join(", ", _sources.Keys.Order())}).");
    }
}
