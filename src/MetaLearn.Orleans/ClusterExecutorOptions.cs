namespace MetaLearn.Orleans;

/// <summary>Settings of a <see cref="ClusterMetaBatchExecutor"/>.</summary>
public sealed record ClusterExecutorOptions
{
    /// <summary>
    /// How many worker grains (model replicas) the units are dealt to, unit u to worker u mod W; at least 1. Each computes
    /// one unit at a time, so about the cluster's core count, or one per silo with multi-threaded kernels. Default 4.
    /// </summary>
    public int Workers
    {
        get;
        init => field = value >= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Workers), value, "ClusterExecutorOptions.Workers must be at least 1.");
    } = 4;

    /// <summary>How many times a unit is sent before the meta-batch fails, when the worker's silo is lost; at least 1. Default 3.</summary>
    public int MaxAttempts
    {
        get;
        init => field = value >= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxAttempts), value, "ClusterExecutorOptions.MaxAttempts must be at least 1.");
    } = 3;
}
