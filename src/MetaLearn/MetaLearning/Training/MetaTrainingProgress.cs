namespace MetaLearn.MetaLearning;

/// <summary>A progress report of <see cref="MetaTrainer"/>.</summary>
/// <param name="Iteration">Meta-iterations done.</param>
/// <param name="TotalIterations">Meta-iterations planned.</param>
/// <param name="MetaLoss">The last meta-batch's loss (NaN if all its tasks were skipped).</param>
/// <param name="ValidationLoss">The last validation loss, if any.</param>
/// <param name="Elapsed">Time since the start of this call.</param>
/// <param name="SkippedTasks">Tasks skipped as non-finite since the run began (resumed runs included).</param>
/// <param name="ValidationAccuracy">The last validation's mean query accuracy in [0, 1], for classification tasks validated in this call; null
/// otherwise.</param>
public sealed record MetaTrainingProgress(long Iteration, long TotalIterations, double MetaLoss, double? ValidationLoss, TimeSpan Elapsed,
    long SkippedTasks = 0, double? ValidationAccuracy = null);
