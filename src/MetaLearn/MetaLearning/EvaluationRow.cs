namespace MetaLearn.MetaLearning;

/// <summary>Scores after a given number of adaptation steps, over many test tasks.</summary>
/// <param name="Steps">Adaptation steps taken on each task's support set.</param>
/// <param name="Tasks">Number of tasks.</param>
/// <param name="MeanLoss">Mean query loss.</param>
/// <param name="LossConfidence95">Half-width of the 95% interval of the mean loss, 1.96·std/√n.</param>
/// <param name="MeanAccuracy">Mean query accuracy for classification tasks, else null.</param>
/// <param name="AccuracyConfidence95">Half-width of the 95% interval of the mean accuracy, else null.</param>
public sealed record EvaluationRow(int Steps, int Tasks, double MeanLoss, double LossConfidence95, double? MeanAccuracy, double? AccuracyConfidence95);
