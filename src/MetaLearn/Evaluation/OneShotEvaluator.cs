using System.Globalization;
using MetaLearn.Data;
using MetaLearn.Data.OneShot;
using MetaLearn.MetaLearning;
using MetaLearn.Statistics;
using MetaLearn.Tensors;

namespace MetaLearn.Evaluation;

/// <summary>
/// Scores a learner on one-shot runs, as <see cref="MetaEvaluator"/> scores one on sampled tasks: a fresh learner from
/// the factory per run, conditioned on the run's training images (labels 0..N−1), adapted for the test steps, and a
/// query's label is the class it scores highest. Accuracy per run and overall, with a 95% interval.
/// </summary>
public static class OneShotEvaluator
{
    /// <summary>Scores the learners <paramref name="createLearner"/> makes on every run.</summary>
    /// <param name="createLearner">A fresh learner per run (a meta-learner's <c>CreateLearner</c>, or a baseline such as
    /// <see cref="PixelNearestNeighbour"/>).</param>
    /// <param name="runs">The one-shot runs.</param>
    /// <param name="steps">Adaptation steps on each run's training images before its queries are predicted; non-negative.</param>
    /// <exception cref="ArgumentException">No runs.</exception>
    /// <exception cref="InvalidOperationException">A learner's scores do not have a row per test image and a column per class of the run.</exception>
    public static OneShotEvaluation Evaluate(Func<ILearner> createLearner, IReadOnlyList<OneShotRun> runs, int steps = 0)
    {
        ArgumentNullException.ThrowIfNull(createLearner);
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        if (runs.Count == 0)
        {
            throw new ArgumentException("OneShotEvaluator: no runs.", nameof(runs));
        }

        var scores = new OneShotRunScore[runs.Count];
        for (int r = 0; r < runs.Count; r++)
        {
            var run = runs[r];
            var learner = createLearner();
            learner.Condition(Examples.Classification(run.TrainingImages, [.. Enumerable.Range(0, run.Ways)]));
            learner.Adapt(steps);
            var classScores = learner.Predict(run.TestImages);
            if (classScores.Rank != 2 || classScores.Shape[0] != run.Answers.Count || classScores.Shape[1] != run.Ways)
            {
                throw new InvalidOperationException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"OneShotEvaluator: on run '{run.Name}' the learner returned scores {Shapes.Format(classScores.Shape)} for "
                        + $"{run.Answers.Count} test images of {run.Ways} classes."));
            }

            var predicted = classScores.ArgMax(-1);
            int correct = 0;
            for (int i = 0; i < predicted.Length; i++)
            {
                correct += predicted[i] == run.Answers[i] ? 1 : 0;
            }

            scores[r] = new OneShotRunScore(run.Name, correct, predicted.Length);
        }

        int total = scores.Sum(s => s.Total);
        int right = scores.Sum(s => s.Correct);
        return new OneShotEvaluation(scores, right, total, (double)right / total, HalfWidth95([.. scores.Select(s => s.Accuracy)]));
    }

    /// <summary>The half-width of the 95% Student-t interval of the run accuracies; NaN for a single run.</summary>
    internal static double HalfWidth95(double[] values) => values.Length < 2 ? double.NaN : MeanInterval.Of(values).HalfWidth;
}
