namespace MetaLearn.Diagnostics;

/// <summary>What a <see cref="TrainingLogEntry"/> reports; the number is its event id (stable across versions).</summary>
public enum TrainingEvent
{
    /// <summary>Meta-training started (or resumed from a checkpoint).</summary>
    Started = 1,

    /// <summary>A progress report: iteration, meta-loss, tasks per second.</summary>
    Progress = 2,

    /// <summary>A validation ran: loss and accuracy on the validation tasks.</summary>
    Validated = 3,

    /// <summary>A meta-step skipped tasks whose loss or gradient was not finite.</summary>
    SkippedTasks = 4,

    /// <summary>A checkpoint (or the best state so far) was written.</summary>
    CheckpointWritten = 5,

    /// <summary>Training stopped early: validation stopped improving.</summary>
    StoppedEarly = 6,

    /// <summary>Meta-training finished.</summary>
    Finished = 7,
}
