using System.Diagnostics;
using System.Diagnostics.Metrics;
using MetaLearn.Evaluation;
using MetaLearn.MetaLearning;

namespace MetaLearn.Diagnostics;

/// <summary>
/// One training run's telemetry: the "MetaLearn" meter's instruments (shared by every run) and the run's optional log.
/// Logging builds no entry unless the log wants its level; a meter with no listener costs a branch per measurement.
/// </summary>
internal sealed class TrainingTelemetry
{
    private static readonly Meter s_meter = new(MetaLearnMetrics.MeterName, typeof(TrainingTelemetry).Assembly.GetName().Version?.ToString());
    private static readonly Gauge<double> s_metaLoss = s_meter.CreateGauge<double>(
        MetaLearnMetrics.MetaLoss, description: "Mean meta-loss of the last meta-step");
    private static readonly Gauge<double> s_validationLoss = s_meter.CreateGauge<double>(
        MetaLearnMetrics.ValidationLoss, description: "Mean loss of the last validation");
    private static readonly Gauge<double> s_validationAccuracy = s_meter.CreateGauge<double>(
        MetaLearnMetrics.ValidationAccuracy, description: "Mean accuracy of the last validation");
    private static readonly Counter<long> s_iterations = s_meter.CreateCounter<long>(MetaLearnMetrics.Iterations, "{iteration}", "Meta-iterations done");
    private static readonly Counter<long> s_tasks = s_meter.CreateCounter<long>(MetaLearnMetrics.Tasks, "{task}", "Tasks sampled into meta-batches");
    private static readonly Gauge<double> s_tasksPerSecond = s_meter.CreateGauge<double>(
        MetaLearnMetrics.TasksPerSecond, "{task}/s", "Tasks per second since the previous progress report");
    private static readonly Counter<long> s_skipped = s_meter.CreateCounter<long>(
        MetaLearnMetrics.SkippedTasks, "{task}", "Tasks skipped for a non-finite loss or gradient");
    private static readonly Counter<long> s_checkpoints = s_meter.CreateCounter<long>(MetaLearnMetrics.CheckpointWrites, "{file}", "Checkpoint files written");

    private readonly ITrainingLog? _log;
    private readonly KeyValuePair<string, object?> _tag;
    private readonly string _learner;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _tasksSinceReport;
    private TimeSpan _lastReport;

    public TrainingTelemetry(IMetaLearner learner, ITrainingLog? log)
    {
        _log = log;
        _learner = learner.GetType().Name;
        _tag = new(MetaLearnMetrics.LearnerTag, _learner);
    }

    public void Started(MetaTrainingOptions options, long iteration) => Log(
        TrainingLogLevel.Information, TrainingEvent.Started,
        "Meta-training {Learner} from iteration {Iteration} to {Iterations}, meta-batch {MetaBatchSize}, seed {Seed}",
        ("Learner", _learner), ("Iteration", iteration), ("Iterations", options.Iterations), ("MetaBatchSize", options.MetaBatchSize), ("Seed", options.Seed));

    /// <summary>A meta-step of <paramref name="batchSize"/> tasks reported <paramref name="step"/>.</summary>
    public void Stepped(long iteration, int batchSize, MetaStepResult step)
    {
        s_iterations.Add(1, _tag);
        s_tasks.Add(batchSize, _tag);
        _tasksSinceReport += batchSize;
        if (double.IsFinite(step.Loss))
        {
            s_metaLoss.Record(step.Loss, _tag);
        }

        if (step.SkippedTasks.Count > 0)
        {
            s_skipped.Add(step.SkippedTasks.Count, _tag);
            Log(
                TrainingLogLevel.Warning, TrainingEvent.SkippedTasks,
                "Iteration {Iteration}: skipped {SkippedCount} of {BatchSize} tasks with a non-finite loss or gradient (meta-batch positions {Positions})",
                ("Iteration", iteration), ("SkippedCount", step.SkippedTasks.Count), ("BatchSize", batchSize),
                ("Positions", string.Join(", ", step.SkippedTasks)));
        }
    }

    public void Validated(long iteration, EvaluationRow row)
    {
        if (double.IsFinite(row.MeanLoss))
        {
            s_validationLoss.Record(row.MeanLoss, _tag);
        }

        if (row.MeanAccuracy is { } accuracy)
        {
            s_validationAccuracy.Record(accuracy, _tag);
        }

        Log(
            TrainingLogLevel.Information, TrainingEvent.Validated,
            "Iteration {Iteration}: validation loss {ValidationLoss}, accuracy {ValidationAccuracy}",
            ("Iteration", iteration), ("ValidationLoss", row.MeanLoss), ("ValidationAccuracy", row.MeanAccuracy));
    }

    public void Reported(MetaTrainingProgress progress)
    {
        var now = _clock.Elapsed;
        double seconds = (now - _lastReport).TotalSeconds;
        double rate = seconds > 0 ? _tasksSinceReport / seconds : 0;
        _lastReport = now;
        _tasksSinceReport = 0;
        s_tasksPerSecond.Record(rate, _tag);
        Log(
            TrainingLogLevel.Information, TrainingEvent.Progress,
            "Iteration {Iteration}/{Iterations}: meta-loss {MetaLoss}, {TasksPerSecond} tasks/s, {SkippedTasks} tasks skipped so far",
            ("Iteration", progress.Iteration), ("Iterations", progress.TotalIterations), ("MetaLoss", progress.MetaLoss),
            ("TasksPerSecond", Math.Round(rate, 1)), ("SkippedTasks", progress.SkippedTasks));
    }

    public void CheckpointWritten(string path, long iteration)
    {
        s_checkpoints.Add(1, _tag);
        Log(TrainingLogLevel.Debug, TrainingEvent.CheckpointWritten, "Iteration {Iteration}: wrote {Path}", ("Iteration", iteration), ("Path", path));
    }

    public void StoppedEarly(long iteration, int patience) => Log(
        TrainingLogLevel.Information, TrainingEvent.StoppedEarly,
        "Iteration {Iteration}: stopped early, no validation improvement in {Patience} validations",
        ("Iteration", iteration), ("Patience", patience));

    public void Finished(MetaTrainingResult result) => Log(
        TrainingLogLevel.Information, TrainingEvent.Finished,
        "Meta-training finished at iteration {Iteration} in {Seconds} s: recent meta-loss {MetaLoss}, "
            + "best validation {BestValidation} at iteration {BestIteration}",
        ("Iteration", result.Iterations), ("Seconds", Math.Round(result.Elapsed.TotalSeconds, 1)), ("MetaLoss", result.FinalMetaLoss),
        ("BestValidation", result.BestValidation), ("BestIteration", result.BestIteration));

    private void Log(TrainingLogLevel level, TrainingEvent @event, string template, params (string Name, object? Value)[] values)
    {
        if (_log is null || !_log.IsEnabled(level))
        {
            return;
        }

        _log.Write(new TrainingLogEntry(level, @event, template, [.. values.Select(v => new KeyValuePair<string, object?>(v.Name, v.Value))]));
    }
}
