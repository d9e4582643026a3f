namespace MetaLearn.MetaLearning;

/// <summary>How a meta-training run ended.</summary>
/// <param name="Iterations">Meta-iterations completed (including any before a resume).</param>
/// <param name="FinalMetaLoss">Mean meta-loss over the last 100 iterations (or fewer).</param>
/// <param name="BestValidationLoss">Best validation loss, or null without validation.</param>
/// <param name="BestIteration">Iteration of the best validation, or null.</param>
/// <param name="StoppedEarly">Whether early stopping ended the run.</param>
/// <param name="Elapsed">Wall time of this call.</param>
public sealed record MetaTrainingResult(long Iterations, double FinalMetaLoss, double? BestValidationLoss, long? BestIteration, bool StoppedEarly, TimeSpan Elapsed);
