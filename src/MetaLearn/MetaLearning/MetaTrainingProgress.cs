namespace MetaLearn.MetaLearning;

/// <summary>A progress report of <see cref="MetaTrainer"/>.</summary>
/// <param name="Iteration">Meta-iterations completed.</param>
/// <param name="TotalIterations">Meta-iterations planned.</param>
/// <param name="MetaLoss">Meta-loss of the latest meta-batch.</param>
/// <param name="ValidationLoss">Latest validation loss (mean query loss after adaptation), or null before the first validation.</param>
/// <param name="Elapsed">Wall time since training (or resuming) started.</param>
public sealed record MetaTrainingProgress(long Iteration, long TotalIterations, double MetaLoss, double? ValidationLoss, TimeSpan Elapsed);
