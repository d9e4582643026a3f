using MetaLearn.Data;
using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Metric;

/// <summary>From relation scores of queries against labelled references to class scores, and the losses relations are trained with.</summary>
public static class RelationScores
{
    /// <summary>
    /// Class scores [Q, classes]: for each class the mean relation score [Q, R] of the query with the class's references
    /// (with one shot per class, the relation itself).
    /// </summary>
    /// <exception cref="ArgumentException">The scores are not [Q, R] with R = the label count, or a class has no reference.</exception>
    public static Tensor ForClasses(Tensor relations, IReadOnlyList<int> labels, int classes)
    {
        ArgumentNullException.ThrowIfNull(relations);
        ArgumentNullException.ThrowIfNull(labels);
        if (relations.Rank != 2 || relations.Shape[1] != labels.Count)
        {
            throw new ArgumentException($"RelationScores: relations {Shapes.Format(relations.Shape)} must be [Q, {labels.Count}].", nameof(relations));
        }

        return Tensor.MatMul(relations, ClassMeans.Matrix(labels, classes, relations.DType), transposeB: true);
    }

    /// <summary>
    /// The loss of relation logits [A, B] between two labelled sets: binary cross-entropy against 1 for a same-class pair
    /// and 0 otherwise (Sung et al. regress the sigmoid onto the same targets with a squared error).
    /// </summary>
    /// <exception cref="ArgumentException">The logits are not [A, B] for the two label lists.</exception>
    public static Tensor PairLoss(Tensor relations, IReadOnlyList<int> rowLabels, IReadOnlyList<int> columnLabels)
    {
        ArgumentNullException.ThrowIfNull(relations);
        ArgumentNullException.ThrowIfNull(rowLabels);
        ArgumentNullException.ThrowIfNull(columnLabels);
        if (relations.Rank != 2 || relations.Shape[0] != rowLabels.Count || relations.Shape[1] != columnLabels.Count)
        {
            throw new ArgumentException($"RelationScores: relations {Shapes.Format(relations.Shape)} must be [{rowLabels.Count}, "
                + $"{columnLabels.Count}].", nameof(relations));
        }

        var same = new double[rowLabels.Count * columnLabels.Count];
        for (int i = 0; i < rowLabels.Count; i++)
        {
            for (int j = 0; j < columnLabels.Count; j++)
            {
                same[(i * columnLabels.Count) + j] = rowLabels[i] == columnLabels[j] ? 1 : 0;
            }
        }

        return Losses.BinaryCrossEntropyWithLogits(relations, Tensor.FromArray(same, rowLabels.Count, columnLabels.Count).AsType(relations.DType));
    }

    /// <summary>The support loss of fine-tuning a relation on a task's own pairs: <see cref="PairLoss"/> of the support set against itself.</summary>
    public static Tensor SupportPairLoss(Tensor relations, Examples support)
    {
        var labels = (support as ClassificationExamples
            ?? throw new ArgumentException($"RelationScores: needs classification examples, got {support?.GetType().Name}.", nameof(support))).Labels;
        return PairLoss(relations, labels, labels);
    }
}
