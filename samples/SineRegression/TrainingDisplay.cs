using MetaLearn.Data;
using MetaLearn.MetaLearning;
using Spectre.Console;

namespace SineRegression;

/// <summary>
/// Runs <see cref="MetaTrainer.Train"/> behind a live progress bar (meta-loss, elapsed and remaining time) on a terminal,
/// or with a plain line every 5% when the output is redirected; returns the result and the meta-loss curve.
/// </summary>
internal static class TrainingDisplay
{
    public static (MetaTrainingResult Result, IReadOnlyList<(long Iteration, double MetaLoss)> Curve) Train(IMetaLearner learner, ITaskSource tasks, MetaTrainingOptions options)
    {
        var curve = new List<(long Iteration, double MetaLoss)>();
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            long every = Math.Max(1, options.Iterations / 20);
            var plain = MetaTrainer.Train(learner, tasks, options, progress: new SynchronousProgress<MetaTrainingProgress>(p =>
            {
                curve.Add((p.Iteration, p.MetaLoss));
                if (p.Iteration % every == 0 || p.Iteration == p.TotalIterations)
                {
                    Console.WriteLine($"  iteration {p.Iteration,6}/{p.TotalIterations}  meta-loss {p.MetaLoss,8:F4}  {p.Elapsed.TotalSeconds,6:F1}s");
                }
            }));
            return (plain, curve);
        }

        MetaTrainingResult? result = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var bar = context.AddTask("meta-training", maxValue: options.Iterations);
                result = MetaTrainer.Train(learner, tasks, options, progress: new SynchronousProgress<MetaTrainingProgress>(p =>
                {
                    curve.Add((p.Iteration, p.MetaLoss));
                    bar.Description = $"meta-training, meta-loss {p.MetaLoss:F4}";
                    bar.Value = p.Iteration;
                }));
            });
        return (result!, curve);
    }
}
