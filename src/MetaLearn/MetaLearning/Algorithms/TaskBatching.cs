namespace MetaLearn.MetaLearning;

/// <summary>
/// Whether MAML processes a meta-batch as one graph with a leading task axis, or task by task. Batching is the caller's
/// choice because only the caller knows its loss: the loss of stacked tasks equals the mean of the per-task losses only
/// for a loss that averages over examples (<see cref="TaskLosses.MeanSquaredError"/> does; a summed loss does not).
/// </summary>
public enum TaskBatching
{
    /// <summary>
    /// Batch when the model and the meta-batch allow it: the model supports a task axis (its layers are all Linear layers
    /// and activations), there is no inner penalty, and all tasks are regression tasks with equal support and query sizes;
    /// otherwise task by task. Choosing it asserts that the loss averages over examples.
    /// </summary>
    Auto,

    /// <summary>Always task by task (in parallel); the default.</summary>
    Never,

    /// <summary>
    /// Always batch, asserting as <see cref="Auto"/> that the loss averages over examples; fails if the model or the tasks
    /// do not allow it.
    /// </summary>
    Always,
}
