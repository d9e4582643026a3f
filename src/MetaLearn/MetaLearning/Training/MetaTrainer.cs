using System.Diagnostics;
using MetaLearn.Data;
using MetaLearn.Diagnostics;
using MetaLearn.Evaluation;
using MetaLearn.Tensors;

namespace MetaLearn.MetaLearning;

/// <summary>
/// The meta-training loop shared by every <see cref="IMetaLearner"/>: meta-batches drawn from a seeded task source,
/// periodic validation with early stopping on the best validation loss or accuracy, progress reports, cancellation, and atomic
/// checkpoints from which a run resumes exactly (same tasks, same updates, same result).
/// </summary>
/// <remarks>
/// Nothing is lost: a checkpoint is written only from a finite state, so a run that goes wrong never overwrites the last
/// good one; the best state so far is written apart (<see cref="BestCheckpointPath"/>) whenever validation improves; tasks
/// skipped as non-finite (<see cref="NonFiniteTaskPolicy.SkipTask"/>) are counted in the reports and the result.
/// </remarks>
public static class MetaTrainer
{
    /// <summary>Where the best state of a run checkpointed at <paramref name="checkpointPath"/> is kept: NAME.best.safetensors beside it.</summary>
    public static string BestCheckpointPath(string checkpointPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpointPath);
        var directory = Path.GetDirectoryName(checkpointPath) ?? string.Empty;
        var name = Path.GetFileNameWithoutExtension(checkpointPath);
        var extension = Path.GetExtension(checkpointPath);
        return Path.Combine(directory, name + ".best" + (extension.Length > 0 ? extension : ".safetensors"));
    }

    /// <summary>Runs meta-training.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled (a checkpoint is written first).</exception>
    /// <exception cref="NonFiniteTaskException">A task was not finite and the learner's policy is to throw; the last checkpoint is intact.</exception>
    /// <exception cref="ArgumentException">
    /// Validation is configured without validation tasks, early stopping without validation, or Resume without a CheckpointPath.
    /// </exception>
    /// <exception cref="FileNotFoundException">Resume is set and there is no checkpoint at the CheckpointPath.</exception>
    public static MetaTrainingResult Train(IMetaLearner learner, ITaskSource trainTasks, MetaTrainingOptions options,
        ITaskSource? validationTasks = null, IProgress<MetaTrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(learner);
        ArgumentNullException.ThrowIfNull(trainTasks);
        ArgumentNullException.ThrowIfNull(options);
        Validate(options, validationTasks);

        var clock = Stopwatch.StartNew();
        var state = new TrainingState(new Generator(options.Seed));
        if (options.Resume)
        {
            // Resume never silently starts over: a run asked to continue that has nothing to continue from is an error.
            string path = options.CheckpointPath!;
            if (!File.Exists(path))
            {
                throw new FileNotFoundException(
                    $"MetaTrainer: Resume is set but there is no checkpoint at '{path}' to resume from; unset Resume to start a new run.", path);
            }

            Checkpoint.Load(path, learner, state);
        }

        var telemetry = new TrainingTelemetry(learner, options.Log);
        telemetry.Started(options, state.Iteration);
        var recent = new Queue<double>();
        bool byAccuracy = options.SelectBy == ValidationMetric.Accuracy;
        double? lastValidation = byAccuracy ? null : state.BestValidation;
        double? lastAccuracy = null;
        bool stoppedEarly = false;
        var batch = new ITask[options.MetaBatchSize];
        while (state.Iteration < options.Iterations)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                SaveIfConfigured(options, learner, state, telemetry);
                cancellationToken.ThrowIfCancellationRequested();
            }

            for (int i = 0; i < batch.Length; i++)
            {
                batch[i] = trainTasks.Sample(state.Generator);
            }

            var step = learner.MetaStep(batch);
            state.Iteration++;
            state.SkippedTasks += step.SkippedTasks.Count;
            telemetry.Stepped(state.Iteration, batch.Length, step);
            if (double.IsFinite(step.Loss))
            {
                recent.Enqueue(step.Loss);
                if (recent.Count > 100)
                {
                    recent.Dequeue();
                }
            }

            bool validated = false;
            if (options.ValidationInterval > 0 && state.Iteration % options.ValidationInterval == 0)
            {
                validated = true;
                var row = Validate(learner, validationTasks!, options);
                lastValidation = row.MeanLoss;
                lastAccuracy = row.MeanAccuracy;
                telemetry.Validated(state.Iteration, row);
                double score = byAccuracy
                    ? row.MeanAccuracy
                        ?? throw new InvalidOperationException("MetaTrainer: SelectBy = Accuracy needs classification validation tasks; these "
                            + "have no accuracy.")
                    : row.MeanLoss;
                if (double.IsFinite(score) && (state.BestValidation is not { } best || (byAccuracy ? score > best : score < best)))
                {
                    state.BestValidation = score;
                    state.BestIteration = state.Iteration;
                    state.BestState = learner.ExportState();
                    state.ValidationsWithoutImprovement = 0;
                    if (options.CheckpointPath is { } checkpoint)
                    {
                        MetaLearnerFile.Save(BestCheckpointPath(checkpoint), learner);
                        telemetry.CheckpointWritten(BestCheckpointPath(checkpoint), state.Iteration);
                    }
                }
                else
                {
                    state.ValidationsWithoutImprovement++;
                }
            }

            if (validated || state.Iteration % options.ProgressInterval == 0 || state.Iteration == options.Iterations)
            {
                var report = new MetaTrainingProgress(state.Iteration, options.Iterations, step.Loss, lastValidation, clock.Elapsed,
                    state.SkippedTasks, lastAccuracy);
                telemetry.Reported(report);
                progress?.Report(report);
            }

            if (options.CheckpointPath is not null && state.Iteration % options.CheckpointInterval == 0)
            {
                Checkpoint.Save(options.CheckpointPath, learner, state);
                telemetry.CheckpointWritten(options.CheckpointPath, state.Iteration);
            }

            if (options.EarlyStoppingPatience > 0 && state.ValidationsWithoutImprovement >= options.EarlyStoppingPatience)
            {
                stoppedEarly = true;
                telemetry.StoppedEarly(state.Iteration, options.EarlyStoppingPatience);
                break;
            }
        }

        // The checkpoint holds the current state (with the best one beside it), so a longer run can resume exactly; the
        // learner handed back holds the best.
        SaveIfConfigured(options, learner, state, telemetry);
        if (state.BestState is { } bestState)
        {
            learner.ImportState(bestState.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal));
        }

        var result = new MetaTrainingResult(state.Iteration, recent.Count > 0 ? recent.Average() : double.NaN, state.BestValidation, state.BestIteration,
            stoppedEarly, clock.Elapsed, state.SkippedTasks);
        telemetry.Finished(result);
        return result;
    }

    /// <summary>Mean query loss (and accuracy, for classification) over the validation tasks (the same tasks every time) after adaptation.</summary>
    private static EvaluationRow Validate(IMetaLearner learner, ITaskSource tasks, MetaTrainingOptions options)
        => MetaEvaluator.Evaluate(learner.CreateLearner, tasks, options.ValidationTasks, [options.ValidationSteps], options.Seed ^ 0x5EED5EEDUL)[0];

    private static void SaveIfConfigured(MetaTrainingOptions options, IMetaLearner learner, TrainingState state, TrainingTelemetry telemetry)
    {
        if (options.CheckpointPath is not null)
        {
            Checkpoint.Save(options.CheckpointPath, learner, state);
            telemetry.CheckpointWritten(options.CheckpointPath, state.Iteration);
        }
    }

    private static void Validate(MetaTrainingOptions options, ITaskSource? validationTasks)
    {
        if (options.ValidationInterval > 0 && validationTasks is null)
        {
            throw new ArgumentException("MetaTrainer: ValidationInterval is set but no validation tasks were given.", nameof(validationTasks));
        }

        if (options.EarlyStoppingPatience > 0 && options.ValidationInterval == 0)
        {
            throw new ArgumentException("MetaTrainer: EarlyStoppingPatience needs a ValidationInterval.", nameof(options));
        }

        if (options.Resume && options.CheckpointPath is null)
        {
            throw new ArgumentException("MetaTrainer: Resume is set but there is no CheckpointPath to resume from.", nameof(options));
        }
    }
}
