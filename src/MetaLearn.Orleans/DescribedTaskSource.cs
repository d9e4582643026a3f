using MetaLearn.Data;
using MetaLearn.Tensors;

namespace MetaLearn.Orleans;

/// <summary>
/// A task source whose tasks travel as descriptions: each draw takes one seed from the caller's generator and samples
/// the inner source with a generator of that seed, so a worker that has the same source registered under
/// <see cref="Name"/> samples the identical task from the seed alone.
/// </summary>
/// <remarks>Use it when the data is on every host (a generator, or a dataset every silo loads): a task costs a name and
/// eight bytes. Tasks from any other source are shipped as tensors.</remarks>
public sealed class DescribedTaskSource : ITaskSource
{
    /// <summary>Wraps <paramref name="inner"/>, registered on the silos as <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The name is empty.</exception>
    public DescribedTaskSource(string name, ITaskSource inner)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(inner);
        Name = name;
        Inner = inner;
    }

    /// <summary>The name the inner source is registered under on every silo.</summary>
    public string Name { get; }

    /// <summary>The source that samples the tasks.</summary>
    public ITaskSource Inner { get; }

    /// <inheritdoc/>
    public ITask Sample(Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return new DescribedTask(Name, Inner, generator.NextUInt64());
    }
}
