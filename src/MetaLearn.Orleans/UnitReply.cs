namespace MetaLearn.Orleans;

/// <summary>A worker's answer: the unit's checked loss and gradient, or that it needs the parameters, or what went wrong.</summary>
[GenerateSerializer]
[Immutable]
internal sealed class UnitReply
{
    [Id(0)]
    public bool NeedsParameters { get; init; }

    [Id(1)]
    public double Loss { get; init; }

    [Id(2)]
    public int TasksUsed { get; init; }

    [Id(3)]
    public int[] Skipped { get; init; } = [];

    [Id(4)]
    public TensorPayload?[] Gradient { get; init; } = [];

    [Id(5)]
    public string Silo { get; init; } = "";

    /// <summary>Set when a task's value was not finite under the throwing policy: the task's index.</summary>
    [Id(6)]
    public int? NonFiniteTask { get; init; }

    /// <summary>The quantity that was not finite, or the exception a task threw (type and message).</summary>
    [Id(7)]
    public string? Problem { get; init; }

    /// <summary>Set when computing the unit threw.</summary>
    [Id(8)]
    public bool Failed { get; init; }

    public long ByteCount => Gradient.Sum(g => (long)(g?.Data.Length ?? 0));
}
