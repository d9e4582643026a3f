using MetaLearn.Evaluation;
using MetaLearn.MetaLearning;

namespace MetaLearn.Testing;

/// <summary>What a <see cref="LearningAssert"/> check measured, for further assertions or a log line.</summary>
/// <param name="Before">Loss (and accuracy, for classification) on the test tasks before meta-training.</param>
/// <param name="After">The same measurement after meta-training.</param>
/// <param name="Training">The trainer's summary: iterations run, final meta-loss, time taken.</param>
public sealed record LearningReport(EvaluationRow Before, EvaluationRow After, MetaTrainingResult Training);
