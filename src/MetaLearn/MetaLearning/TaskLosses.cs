using MetaLearn.Data;
using MetaLearn.Tensors;

namespace MetaLearn.MetaLearning;

/// <summary>The standard task losses: mean squared error for regression, cross-entropy for classification.</summary>
public static class TaskLosses
{
    /// <summary>Mean squared error against <see cref="Examples.Targets"/>.</summary>
    public static TaskLoss MeanSquaredError { get; } = (predictions, examples) =>
    {
        var targets = examples.Targets ?? throw new ArgumentException("MeanSquaredError: the examples have labels, not regression targets.", nameof(examples));
        ArgumentNullException.ThrowIfNull(predictions);

        // One node when the shapes match (the same values and gradients as the composition below).
        return predictions.DType == targets.DType && predictions.Count > 0 && predictions.Shape.SequenceEqual(targets.Shape)
            ? Functional.MeanSquaredError(predictions, targets)
            : (predictions - targets).Square().Mean();
    };

    /// <summary>Cross-entropy of logits [N, classes] against <see cref="Examples.Labels"/>.</summary>
    public static TaskLoss CrossEntropy { get; } = (logits, examples) =>
    {
        var labels = examples.Labels ?? throw new ArgumentException("CrossEntropy: the examples have regression targets, not labels.", nameof(examples));
        if (logits.Rank != 2 || logits.Shape[0] != labels.Length)
        {
            throw new ArgumentException($"CrossEntropy: logits [{string.Join(", ", logits.Shape)}] do not match {labels.Length} labels.", nameof(logits));
        }

        foreach (int label in labels)
        {
            if (label >= logits.Shape[1])
            {
                throw new ArgumentException($"CrossEntropy: label {label} is out of range for {logits.Shape[1]} classes.", nameof(examples));
            }
        }

        var logProbabilities = Functional.LogSoftmax(logits, 1);
        return -logProbabilities.Gather(1, labels, [labels.Length, 1]).Mean();
    };

    /// <summary>The loss that fits the examples: cross-entropy when they carry labels, else mean squared error.</summary>
    public static TaskLoss Auto { get; } = (predictions, examples) => examples.IsClassification ? CrossEntropy(predictions, examples) : MeanSquaredError(predictions, examples);
}
