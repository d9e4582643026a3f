using MetaLearn.Statistics;

namespace MetaLearn.Evaluation;

/// <summary>Scores after a given number of adaptation steps over many test tasks, with 95% Student-t intervals.</summary>
/// <param name="Steps">Adaptation steps taken after conditioning on the support set.</param>
/// <param name="Tasks">How many tasks were scored.</param>
/// <param name="Loss">The mean query loss and its interval.</param>
/// <param name="Accuracy">The mean query accuracy and its interval, for classification tasks; null otherwise.</param>
public sealed record EvaluationRow(int Steps, int Tasks, MeanInterval Loss, MeanInterval? Accuracy)
{
    /// <summary>The mean query loss.</summary>
    public double MeanLoss => Loss.Mean;

    /// <summary>The half-width of the loss's 95% interval.</summary>
    public double LossConfidence95 => Loss.HalfWidth;

    /// <summary>The mean query accuracy (classification only).</summary>
    public double? MeanAccuracy => Accuracy?.Mean;

    /// <summary>The half-width of the accuracy's 95% interval (classification only).</summary>
    public double? AccuracyConfidence95 => Accuracy?.HalfWidth;
}
