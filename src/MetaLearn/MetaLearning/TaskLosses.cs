using MetaLearn.Data;
using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.MetaLearning;

/// <summary>The standard task losses: mean squared error for regression, cross-entropy for classification.</summary>
public static class TaskLosses
{
    /// <summary>
    /// Mean squared error against the targets of <see cref="RegressionExamples"/>. Predictions and targets must have exactly
    /// the same shape: nothing is broadcast (a [N, 1] prediction against [N] targets is an error, not an [N, N] difference).
    /// </summary>
    public static TaskLoss MeanSquaredError { get; } = (predictions, examples) =>
    {
        ArgumentNullException.ThrowIfNull(predictions);
        var targets = (examples as RegressionExamples ?? throw WrongKind("MeanSquaredError", "regression", examples)).Targets;
        return Losses.MeanSquaredError(predictions, targets);
    };

    /// <summary>Cross-entropy of logits [N, classes] against the labels of <see cref="ClassificationExamples"/>.</summary>
    public static TaskLoss CrossEntropy { get; } = (logits, examples) =>
    {
        ArgumentNullException.ThrowIfNull(logits);
        var classification = examples as ClassificationExamples ?? throw WrongKind("CrossEntropy", "classification", examples);
        return Losses.CrossEntropy(logits, classification.LabelSpan);
    };

    /// <summary>The loss that fits the examples: cross-entropy for classification examples, else mean squared error.</summary>
    public static TaskLoss Auto { get; } = (predictions, examples) => examples is ClassificationExamples ? CrossEntropy(predictions, examples)
        : MeanSquaredError(predictions, examples);

    private static ArgumentException WrongKind(string loss, string kind, Examples? examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        return new ArgumentException($"{loss}: needs {kind} examples, got {examples.GetType().Name}.", nameof(examples));
    }
}
