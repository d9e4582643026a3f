namespace MetaLearn.MetaLearning;

/// <summary>Whether MAML processes a meta-batch as one graph with a leading task axis, or task by task.</summary>
public enum TaskBatching
{
    /// <summary>
    /// Batch when it is exact: the model supports a task axis (its layers are all Linear layers and activations), all tasks are
    /// regression tasks with equal support and query sizes, and the loss is <see cref="TaskLosses.MeanSquaredError"/>.
    /// </summary>
    Auto,

    /// <summary>Always task by task (in parallel).</summary>
    Never,

    /// <summary>
    /// Always batch; the caller asserts that the loss of stacked tasks is the mean of the per-task losses (true for any
    /// loss that averages over examples when tasks have equal sizes). Fails if the model or tasks do not allow it.
    /// </summary>
    Always,
}
