using MetaLearn.Data.OneShot;
using MetaLearn.Statistics;
using MetaLearn.Tensors;

namespace MetaLearn.Evaluation;

/// <summary>Scores a classifier on one-shot runs: accuracy per run and overall, with a 95% interval.</summary>
public static class OneShotEvaluator
{
    /// <summary>Scores <paramref name="classifier"/> on every run.</summary>
    /// <exception cref="InvalidOperationException">The classifier returned the wrong number of labels, or a label that is not a class of the run.</exception>
    public static OneShotEvaluation Evaluate(IReadOnlyList<OneShotRun> runs, IFewShotClassifier classifier)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        return Evaluate(runs, classifier.Classify);
    }

    /// <summary>Scores <paramref name="classify"/> (support images, support labels 0..N−1, query images → predicted labels) on every run.</summary>
    /// <exception cref="InvalidOperationException">The classifier returned the wrong number of labels, or a label that is not a class of the run.</exception>
    public static OneShotEvaluation Evaluate(IReadOnlyList<OneShotRun> runs, Func<Tensor, int[], Tensor, int[]> classify)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(classify);
        if (runs.Count == 0)
        {
            throw new ArgumentException("OneShotEvaluator: no runs.", nameof(runs));
        }

        var scores = new OneShotRunScore[runs.Count];
        for (int r = 0; r < runs.Count; r++)
        {
            var run = runs[r];
            var predicted = classify(run.TrainingImages, [.. Enumerable.Range(0, run.Ways)], run.TestImages);
            if (predicted is null || predicted.Length != run.Answers.Count)
            {
                throw new InvalidOperationException($"OneShotEvaluator: on run '{run.Name}' the classifier returned {predicted?.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"} labels for {run.Answers.Count} test images.");
            }

            int correct = 0;
            for (int i = 0; i < predicted.Length; i++)
            {
                if ((uint)predicted[i] >= (uint)run.Ways)
                {
                    throw new InvalidOperationException($"OneShotEvaluator: on run '{run.Name}' the classifier predicted label {predicted[i]} for '{run.TestFiles[i]}'; labels are 0..{run.Ways - 1}.");
                }

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
