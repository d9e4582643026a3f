namespace MetaLearn.Diagnostics;

/// <summary>
/// The names of the <see cref="System.Diagnostics.Metrics.Meter"/> that <see cref="MetaLearning.MetaTrainer"/> publishes
/// to, and of its instruments, for <c>dotnet-counters monitor --counters MetaLearn</c>, OpenTelemetry's
/// <c>AddMeter("MetaLearn")</c> or a <see cref="System.Diagnostics.Metrics.MeterListener"/>. Every measurement carries the
/// tag <see cref="LearnerTag"/> (the meta-learner's type name).
/// </summary>
public static class MetaLearnMetrics
{
    /// <summary>The meter's name: "MetaLearn".</summary>
    public const string MeterName = "MetaLearn";

    /// <summary>The tag holding the meta-learner's type name ("metalearn.learner").</summary>
    public const string LearnerTag = "metalearn.learner";

    /// <summary>Gauge: the last meta-step's mean meta-loss over the tasks it used.</summary>
    public const string MetaLoss = "metalearn.meta_loss";

    /// <summary>Gauge: the last validation's mean loss.</summary>
    public const string ValidationLoss = "metalearn.validation.loss";

    /// <summary>Gauge: the last validation's mean accuracy (classification only).</summary>
    public const string ValidationAccuracy = "metalearn.validation.accuracy";

    /// <summary>Counter: meta-iterations (outer steps) done.</summary>
    public const string Iterations = "metalearn.iterations";

    /// <summary>Counter: tasks sampled into meta-batches (dotnet-counters shows its rate: tasks per second).</summary>
    public const string Tasks = "metalearn.tasks";

    /// <summary>Gauge: tasks per second since the previous progress report.</summary>
    public const string TasksPerSecond = "metalearn.tasks_per_second";

    /// <summary>Counter: tasks skipped because their loss or gradient was not finite.</summary>
    public const string SkippedTasks = "metalearn.tasks.skipped";

    /// <summary>Counter: checkpoint files written (the training checkpoint and the best state).</summary>
    public const string CheckpointWrites = "metalearn.checkpoint.writes";
}
