using MetaLearn.Data;

namespace MetaLearn.Orleans;

/// <summary>
/// A task that travels as its description: the name of a task source registered on every silo and the seed that samples
/// it (<c>source.Sample(new Generator(Seed))</c>), a few bytes instead of its tensors. Locally it is the sampled task.
/// </summary>
public sealed class DescribedTask : ITask
{
    private readonly ITask _task;

    /// <summary>Samples the task <paramref name="seed"/> of <paramref name="source"/>, registered on the silos as <paramref name="sourceName"/>.</summary>
    /// <exception cref="ArgumentException">The name is empty.</exception>
    public DescribedTask(string sourceName, ITaskSource source, ulong seed)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);
        ArgumentNullException.ThrowIfNull(source);
        Source = sourceName;
        Seed = seed;
        _task = source.Sample(new Tensors.Generator(seed))
            ?? throw new ArgumentException($"DescribedTask: source '{sourceName}' sampled null.", nameof(source));
    }

    /// <summary>The registered name of the task source.</summary>
    public string Source { get; }

    /// <summary>The seed of the generator that samples the task.</summary>
    public ulong Seed { get; }

    /// <inheritdoc/>
    public Examples Support => _task.Support;

    /// <inheritdoc/>
    public Examples Query => _task.Query;

    /// <inheritdoc/>
    public TaskMetadata Metadata => _task.Metadata;
}
