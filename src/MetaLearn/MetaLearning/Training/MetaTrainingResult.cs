namespace MetaLearn.MetaLearning;

/// <summary>How a meta-training run ended.</summary>
/// <param name="Iterations">Meta-iterations done.</param>
/// <param name="FinalMetaLoss">Mean meta-loss over the last 100 iterations (non-finite ones left out).</param>
/// <param name="BestValidation">The best validation figure, if validating: the loss, or the accuracy when <see cref="MetaTrainingOptions.SelectBy"/> is <see cref="ValidationMetric.Accuracy"/>.</param>
/// <param name="BestIteration">Where it was reached.</param>
/// <param name="StoppedEarly">Whether early stopping ended the run.</param>
/// <param name="Elapsed">Time taken by this call.</param>
/// <param name="SkippedTasks">Tasks skipped as non-finite over the run.</param>
public sealed record MetaTrainingResult(long Iterations, double FinalMetaLoss, double? BestValidation, long? BestIteration, bool StoppedEarly, TimeSpan Elapsed, long SkippedTasks = 0);
