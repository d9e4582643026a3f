using System.Diagnostics;
using MetaLearn.Data;
using MetaLearn.Tensors;

namespace MetaLearn.MetaLearning;

/// <summary>
/// The meta-training loop shared by every <see cref="IMetaLearner"/>: meta-batches drawn from a seeded task source,
/// periodic validation with early stopping on the best validation loss, progress reports, cancellation, and atomic
/// checkpoints from which a run resumes exactly (same tasks, same updates, same result).
/// </summary>
public static class MetaTrainer
{
    /// <summary>Runs meta-training.</summary>
    /// <param name="learner">The meta-learner (updated in place).</param>
    /// <param name="trainTasks">The meta-training task distribution.</param>
    /// <param name="options">Run settings.</param>
    /// <param name="validationTasks">Meta-validation tasks; required when <see cref="MetaTrainingOptions.ValidationInterval"/> &gt; 0.</param>
    /// <param name="progress">Receives progress reports.</param>
    /// <param name="cancellationToken">Stops the run between meta-iterations (a checkpoint is written first when configured).</param>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static MetaTrainingResult Train(IMetaLearner learner, ITaskSource trainTasks, MetaTrainingOptions options, ITaskSource? validationTasks = null, IProgress<MetaTrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(learner);
        ArgumentNullException.ThrowIfNull(trainTasks);
        ArgumentNullException.ThrowIfNull(options);
        Validate(options, validationTasks);

        var clock = Stopwatch.StartNew();
        var state = new TrainingState(new Generator(options.Seed));
        if (options.Resume && options.CheckpointPath is { } path && File.Exists(path))
        {
            Checkpoint.Load(path, learner, state);
        }

        var recent = new Queue<double>();
        double? lastValidation = state.BestValidation;
        bool stoppedEarly = false;
        var batch = new ITask[options.MetaBatchSize];
        while (state.Iteration < options.Iterations)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                SaveIfConfigured(options, learner, state);
                cancellationToken.ThrowIfCancellationRequested();
            }

            for (int i = 0; i < batch.Length; i++)
            {
                batch[i] = trainTasks.Sample(state.Generator);
            }

            double loss = learner.MetaStep(batch);
            state.Iteration++;
            recent.Enqueue(loss);
            if (recent.Count > 100)
            {
                recent.Dequeue();
            }

            bool validated = false;
            if (options.ValidationInterval > 0 && state.Iteration % options.ValidationInterval == 0)
            {
                validated = true;
                lastValidation = ValidationLoss(learner, validationTasks!, options);
                if (state.BestValidation is not { } best || lastValidation < best)
                {
                    state.BestValidation = lastValidation;
                    state.BestIteration = state.Iteration;
                    state.BestState = learner.ExportState();
                    state.ValidationsWithoutImprovement = 0;
                }
                else
                {
                    state.ValidationsWithoutImprovement++;
                }
            }

            if (validated || state.Iteration % Math.Max(1, options.ProgressInterval) == 0 || state.Iteration == options.Iterations)
            {
                progress?.Report(new MetaTrainingProgress(state.Iteration, options.Iterations, loss, lastValidation, clock.Elapsed));
            }

            if (options.CheckpointPath is not null && state.Iteration % options.CheckpointInterval == 0)
            {
                Checkpoint.Save(options.CheckpointPath, learner, state);
            }

            if (options.EarlyStoppingPatience > 0 && state.ValidationsWithoutImprovement >= options.EarlyStoppingPatience)
            {
                stoppedEarly = true;
                break;
            }
        }

        // The checkpoint holds the current state (with the best one beside it), so a longer run can resume exactly; the
        // learner handed back holds the best.
        SaveIfConfigured(options, learner, state);
        if (state.BestState is { } bestState)
        {
            learner.ImportState(bestState.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal));
        }
        return new MetaTrainingResult(state.Iteration, recent.Count > 0 ? recent.Average() : double.NaN, state.BestValidation, state.BestIteration, stoppedEarly, clock.Elapsed);
    }

    /// <summary>Mean query loss over the validation tasks (the same tasks every time) after adaptation.</summary>
    private static double ValidationLoss(IMetaLearner learner, ITaskSource tasks, MetaTrainingOptions options)
    {
        var rows = MetaEvaluator.Evaluate(learner.CreateLearner, tasks, options.ValidationTasks, [options.ValidationSteps], options.Seed ^ 0x5EED5EEDUL);
        return rows[0].MeanLoss;
    }

    private static void SaveIfConfigured(MetaTrainingOptions options, IMetaLearner learner, TrainingState state)
    {
        if (options.CheckpointPath is not null)
        {
            Checkpoint.Save(options.CheckpointPath, learner, state);
        }
    }

    private static void Validate(MetaTrainingOptions options, ITaskSource? validationTasks)
    {
        if (options.Iterations < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Iterations, "MetaTrainer: Iterations must be non-negative.");
        }

        if (options.MetaBatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MetaBatchSize, "MetaTrainer: MetaBatchSize must be at least 1.");
        }

        if (options.ValidationInterval < 0 || options.EarlyStoppingPatience < 0 || options.CheckpointInterval < 1 || options.ValidationTasks < 2 || options.ValidationSteps < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MetaTrainer: intervals, patience, validation task count (>= 2) and steps must be in range.");
        }

        if (options.ValidationInterval > 0 && validationTasks is null)
        {
            throw new ArgumentException("MetaTrainer: ValidationInterval is set but no validation tasks were given.", nameof(validationTasks));
        }

        if (options.EarlyStoppingPatience > 0 && options.ValidationInterval == 0)
        {
            throw new ArgumentException("MetaTrainer: early stopping needs a ValidationInterval.", nameof(options));
        }
    }
}
