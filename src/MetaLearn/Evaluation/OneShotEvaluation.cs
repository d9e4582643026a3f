using System.Globalization;

namespace MetaLearn.Evaluation;

/// <summary>A classifier's score on a set of one-shot runs.</summary>
/// <param name="Runs">The score of each run.</param>
/// <param name="Correct">Test images classified right, over all runs.</param>
/// <param name="Total">Test images, over all runs.</param>
/// <param name="Accuracy">Correct / Total, in [0, 1] (Lake et al.'s score; the mean of the runs' accuracies when runs are the same size).</param>
/// <param name="Confidence95">
/// Half-width of the 95% interval of the mean run accuracy, t(0.975, n − 1) · s / √n over the n runs' accuracies
/// (Student's t); NaN for a single run.
/// </param>
public sealed record OneShotEvaluation(IReadOnlyList<OneShotRunScore> Runs, int Correct, int Total, double Accuracy, double Confidence95)
{
    /// <summary>"71.5% ± 3.2% (n runs, correct/total)".</summary>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{100 * Accuracy:F1}% ± {100 * Confidence95:F1}% ({Runs.Count} runs, {Correct}/{Total})");
}
