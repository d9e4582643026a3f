using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.Statistics;
using MetaLearn.Tensors;

namespace MetaLearn.Evaluation;

/// <summary>
/// Condition-adapt-and-score over many sampled test tasks, reporting the mean and a 95% Student-t interval per number of
/// adaptation steps, as few-shot papers do. Every learner is conditioned on each task's support set, also at 0 steps.
/// </summary>
public static class MetaEvaluator
{
    /// <summary>Evaluates learners made by <paramref name="createLearner"/> on <paramref name="taskCount"/> tasks drawn with <paramref name="seed"/>.</summary>
    /// <param name="createLearner">Makes a fresh learner (called once per task, possibly on several threads).</param>
    /// <param name="tasks">The task source.</param>
    /// <param name="taskCount">How many tasks, at least 2.</param>
    /// <param name="steps">Increasing, non-negative step counts at which to score (e.g. [0, 1, 10]).</param>
    /// <param name="seed">The seed of the task draw (same seed, same tasks).</param>
    /// <param name="loss">The query loss; by default cross-entropy for classification, mean squared error for regression.</param>
    /// <exception cref="ArgumentException">The step counts are empty, negative or not increasing.</exception>
    public static IReadOnlyList<EvaluationRow> Evaluate(Func<ILearner> createLearner, ITaskSource tasks, int taskCount, IReadOnlyList<int> steps,
        ulong seed, TaskLoss? loss = null)
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
                throw new ArgumentException($"MetaEvaluator: step counts must be non-negative and increasing, got [{string.Join(", ", ordered)}].",
                    nameof(steps));
            }
        }

        loss ??= TaskLosses.Auto;
        var generator = new Generator(seed);
        var sampled = new ITask[taskCount];
        for (int t = 0; t < taskCount; t++)
        {
            sampled[t] = tasks.Sample(generator);
        }

        var losses = new double[ordered.Length][];
        var accuracies = new double[ordered.Length][];
        for (int s = 0; s < ordered.Length; s++)
        {
            losses[s] = new double[taskCount];
            accuracies[s] = new double[taskCount];
        }

        bool classification = sampled[0].Query is ClassificationExamples;
        MetaBatchExecutor.ForEach(taskCount, Parallelism.MaxDegreeOfParallelism, t =>
        {
            var task = sampled[t];
            var learner = createLearner() ?? throw new InvalidOperationException("MetaEvaluator: createLearner returned null.");
            learner.Condition(task.Support);
            int done = 0;
            for (int s = 0; s < ordered.Length; s++)
            {
                learner.Adapt(ordered[s] - done);
                done = ordered[s];
                var predictions = learner.Predict(task.Query.Inputs);
                using (Tensor.NoGrad())
                {
                    losses[s][t] = loss(predictions, task.Query).Item();
                }

                if (task.Query is ClassificationExamples query)
                {
                    accuracies[s][t] = Accuracy(predictions, query.Labels);
                }
            }
        });

        var rows = new EvaluationRow[ordered.Length];
        for (int s = 0; s < ordered.Length; s++)
        {
            rows[s] = new EvaluationRow(ordered[s], taskCount, MeanInterval.Of(losses[s]), classification ? MeanInterval.Of(accuracies[s]) : null);
        }

        return rows;
    }

    /// <summary>The fraction of rows of <paramref name="scores"/> whose largest entry is at the label.</summary>
    /// <exception cref="ArgumentException">The row count differs from the label count.</exception>
    public static double Accuracy(Tensor scores, IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        var predicted = scores.ArgMax(-1);
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
}
