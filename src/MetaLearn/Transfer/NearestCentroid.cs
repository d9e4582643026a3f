using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Transfer;

/// <summary>Class means of features and the scores of new features against them (minus squared Euclidean distance).</summary>
public static class NearestCentroid
{
    /// <summary>The mean feature of each class [classes, D] from features [N, D] and their labels in [0, classes).</summary>
    /// <exception cref="ArgumentException">The features are not [N, D], the label count differs, or a class has no example.</exception>
    public static Tensor Centroids(Tensor features, IReadOnlyList<int> labels, int classes)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.Rank != 2 || features.Shape[0] != labels.Count)
        {
            throw new ArgumentException($"NearestCentroid: features [{string.Join(", ", features.Shape)}] must be [N, D] with N = {labels.Count} labels.", nameof(features));
        }

        var counts = Counts(labels, classes);
        return Tensor.MatMul(Averaging(labels, classes, counts, features.DType), features);
    }

    /// <summary>Scores [Q, classes] = −‖x − cₖ‖² of features [Q, D] against centroids [classes, D].</summary>
    public static Tensor Scores(Tensor features, Tensor centroids) => -Distances.PairwiseSquaredEuclidean(features, centroids);

    /// <summary>
    /// The averaging matrix A [classes, N] with A[k, i] = 1/countₖ where labelᵢ = k, so A·X is the class means of X and
    /// S·Aᵀ averages the columns of scores S per class: one matrix product, differentiable in X or S.
    /// </summary>
    internal static Tensor Averaging(IReadOnlyList<int> labels, int classes, int[] counts, DType dtype)
    {
        var averaging = new double[classes * labels.Count];
        for (int i = 0; i < labels.Count; i++)
        {
            averaging[(labels[i] * labels.Count) + i] = 1.0 / counts[labels[i]];
        }

        return Tensor.FromArray(averaging, classes, labels.Count).AsType(dtype);
    }

    /// <summary>The number of examples of each class, checking every label is in [0, classes) and no class is empty.</summary>
    internal static int[] Counts(IReadOnlyList<int> labels, int classes)
    {
        var counts = new int[classes];
        foreach (int label in labels)
        {
            if ((uint)label >= (uint)classes)
            {
                throw new ArgumentException($"NearestCentroid: label {label} is outside [0, {classes}).", nameof(labels));
            }

            counts[label]++;
        }

        int empty = Array.IndexOf(counts, 0);
        if (empty >= 0)
        {
            throw new ArgumentException($"NearestCentroid: class {empty} has no example.", nameof(labels));
        }

        return counts;
    }
}
