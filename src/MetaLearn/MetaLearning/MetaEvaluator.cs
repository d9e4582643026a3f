using MetaLearn.Data;
using MetaLearn.Tensors;

namespace MetaLearn.MetaLearning;

/// <summary>
/// Adapt-and-evaluate over many sampled test tasks, reporting mean ± 1.96·std/√n per number of adaptation steps, as
/// few-shot papers do.
/// </summary>
public static class MetaEvaluator
{
    /// <summary>Evaluates learners made by <paramref name="createLearner"/> on <paramref name="taskCount"/> tasks.</summary>
    /// <param name="createLearner">Makes a fresh learner (called once per task, possibly from several threads).</param>
    /// <param name="tasks">The task distribution (sampled with <paramref name="seed"/>, so two learners see the same tasks).</param>
    /// <param name="taskCount">Number of tasks.</param>
    /// <param name="steps">Step counts to report, e.g. [0, 1, 5, 10]; adaptation continues from one count to the next.</param>
    /// <param name="seed">Seed of the task sampler.</param>
    /// <param name="loss">Query loss; <see cref="TaskLosses.Auto"/> when null.</param>
    /// <param name="maxDegreeOfParallelism">Tasks evaluated at once; the result does not depend on it.</param>
    public static IReadOnlyList<EvaluationRow> Evaluate(Func<ILearner> createLearner, ITaskSource tasks, int taskCount, IReadOnlyList<int> steps, ulong seed, TaskLoss? loss = null, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(createLearner);
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentOutOfRangeException.ThrowIfLessThan(taskCount, 2);
        if (steps.Count == 0)
        {
            throw new ArgumentException("MetaEvaluator: no step counts given.", nameof(steps));
        }

        var ordered = steps.ToArray();
        for (int i = 0; i < ordered.Length; i++)
        {
            if (ordered[i] < 0 || (i > 0 && ordered[i] <= ordered[i - 1]))
            {
                throw new ArgumentException($"MetaEvaluator: step counts must be non-negative and increasing, got [{string.Join(", ", ordered)}].", nameof(steps));
            }
        }

        loss ??= TaskLosses.Auto;
        var generator = new Generator(seed);
        var sampled = new ITask[taskCount];
        for (int t = 0; t < taskCount; t++)
        {
            sampled[t] = tasks.Sample(generator);
        }

        var losses = new double[ordered.Length, taskCount];
        var accuracies = new double[ordered.Length, taskCount];
        bool classification = sampled[0].Query.IsClassification;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
        Parallel.For(0, taskCount, parallel, t =>
        {
            var task = sampled[t];
            var learner = createLearner();
            int done = 0;
            for (int s = 0; s < ordered.Length; s++)
            {
                if (ordered[s] > done)
                {
                    learner.Adapt(task.Support, ordered[s] - done);
                    done = ordered[s];
                }

                var predictions = learner.Predict(task.Query.Inputs);
                using (Tensor.NoGrad())
                {
                    losses[s, t] = loss(predictions, task.Query).Item();
                }

                if (classification)
                {
                    accuracies[s, t] = Accuracy(predictions, task.Query.Labels!);
                }
            }
        });

        var rows = new EvaluationRow[ordered.Length];
        for (int s = 0; s < ordered.Length; s++)
        {
            var (meanLoss, lossCi) = MeanAndInterval(losses, s, taskCount);
            var (meanAccuracy, accuracyCi) = MeanAndInterval(accuracies, s, taskCount);
            rows[s] = new EvaluationRow(ordered[s], taskCount, meanLoss, lossCi, classification ? meanAccuracy : null, classification ? accuracyCi : null);
        }

        return rows;
    }

    /// <summary>The fraction of rows of <paramref name="logits"/> whose largest entry is at the label.</summary>
    public static double Accuracy(Tensor logits, IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        var predicted = logits.ArgMax(-1);
        if (predicted.Length != labels.Count)
        {
            throw new ArgumentException($"Accuracy: {predicted.Length} predictions for {labels.Count} labels.", nameof(labels));
        }

        int correct = 0;
        for (int i = 0; i < predicted.Length; i++)
        {
            correct += predicted[i] == labels[i] ? 1 : 0;
        }

        return (double)correct / predicted.Length;
    }

    private static (double Mean, double Interval) MeanAndInterval(double[,] values, int row, int n)
    {
        double mean = 0;
        for (int t = 0; t < n; t++)
        {
            mean += values[row, t];
        }

        mean /= n;
        double variance = 0;
        for (int t = 0; t < n; t++)
        {
            variance += (values[row, t] - mean) * (values[row, t] - mean);
        }

        double std = Math.Sqrt(variance / (n - 1));
        return (mean, 1.96 * std / Math.Sqrt(n));
    }
}
