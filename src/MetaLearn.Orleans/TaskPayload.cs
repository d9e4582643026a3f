using MetaLearn.Data;
using MetaLearn.Tensors;

namespace MetaLearn.Orleans;

/// <summary>
/// A task on the wire, in one of two forms: shipped (its support and query sets as bytes) or described (the name of a
/// task source registered on every silo and the seed that samples it there).
/// </summary>
[GenerateSerializer]
[Immutable]
internal sealed class TaskPayload
{
    [Id(0)]
    public string? Source { get; init; }

    [Id(1)]
    public ulong Seed { get; init; }

    [Id(2)]
    public ExamplesPayload? Support { get; init; }

    [Id(3)]
    public ExamplesPayload? Query { get; init; }

    [Id(4)]
    public string Name { get; init; } = "";

    public long ByteCount => Source is null ? Support!.ByteCount + Query!.ByteCount + Name.Length : Source.Length + sizeof(ulong);

    public static TaskPayload From(ITask task) => task is DescribedTask described
        ? new TaskPayload { Source = described.Source, Seed = described.Seed, Name = task.Metadata.Name }
        : new TaskPayload { Support = ExamplesPayload.From(task.Support), Query = ExamplesPayload.From(task.Query), Name = task.Metadata.Name };

    public ITask ToTask(MetaLearnRegistry registry)
    {
        if (Source is { } source)
        {
            return registry.TaskSource(source).Sample(new Generator(Seed));
        }

        return new LearningTask(Support!.ToExamples(), Query!.ToExamples(), new TaskMetadata(Name, new Dictionary<string, double>()));
    }
}
