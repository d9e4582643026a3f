namespace MetaLearn.MetaLearning;

/// <summary>A progress report of <see cref="MetaTrainer"/>.</summary>
/// <param name="Iteration">Meta-iterations done.</param>
/// <param name="TotalIterations">Meta-iterations planned.</param>
/// <param name="MetaLoss">The last meta-batch's loss (NaN if all its tasks were skipped).</param>
/// <param name="ValidationLoss">The last validation loss, if any.</param>
/// <param name="Elapsed">Time since the start of this call.</param>
/// <param name="SkippedTasks">Tasks skipped as non-finite since the run began (resumed runs included).</param>
public sealed record MetaTrainingProgress(long Iteration, long TotalIterations, double MetaLoss, double? ValidationLoss, TimeSpan Elapsed, long SkippedTasks = 0);
