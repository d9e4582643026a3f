namespace MetaLearn.MetaLearning;

/// <summary>What <see cref="MetaTrainer"/> keeps the best state by, and stops early on.</summary>
public enum ValidationMetric
{
    /// <summary>The mean query loss after adaptation (lower is better): any task kind.</summary>
    Loss,

    /// <summary>
    /// The mean query accuracy after adaptation (higher is better): classification only. Prefer it where the loss keeps
    /// rising with the confidence of a few wrong answers while accuracy still improves (long prototypical-network runs).
    /// </summary>
    Accuracy,
}
