namespace MetaLearn.MetaLearning;

/// <summary>What a meta-update does when a task's loss or gradient has a NaN or an infinity.</summary>
public enum NonFiniteTaskPolicy
{
    /// <summary>Throw a <see cref="NonFiniteTaskException"/> naming the task and the value; nothing is updated.</summary>
    Throw,

    /// <summary>Leave the task out of the meta-batch, update from the others, and report it in <see cref="MetaStepResult.SkippedTasks"/>.</summary>
    SkipTask,
}
