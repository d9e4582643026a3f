using MetaLearn.MetaLearning;

namespace MetaLearn.Orleans;

/// <summary>
/// One unit of a meta-batch for a worker: the learner, the meta-parameters' version (their values only when the worker
/// lacks it), the coordinator's outer step, the tasks.
/// </summary>
[GenerateSerializer]
[Immutable]
internal sealed class UnitRequest
{
    [Id(0)]
    public string Learner { get; init; } = "";

    [Id(1)]
    public long Version { get; init; }

    [Id(2)]
    public TensorPayload[]? Parameters { get; init; }

    [Id(3)]
    public TaskPayload[] Tasks { get; init; } = [];

    [Id(4)]
    public int FirstIndex { get; init; }

    [Id(5)]
    public NonFiniteTaskPolicy Policy { get; init; }

    [Id(6)]
    public long OuterStep { get; init; }
}
