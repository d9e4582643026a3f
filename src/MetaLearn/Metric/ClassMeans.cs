using MetaLearn.Data;
using MetaLearn.Tensors;

namespace MetaLearn.Metric;

/// <summary>
/// Per-class means of rows, written as one differentiable product: the prototypes of prototypical networks (mean support
/// embedding per class) and the mean score per class of a Siamese learner in N-way K-shot.
/// </summary>
public static class ClassMeans
{
    /// <summary>
    /// The averaging matrix A [classes, N] with A[c, i] = 1/n_c when label i is c (n_c examples of class c), else 0, in
    /// <paramref name="dtype"/>: A·X is the per-class mean of the rows of X [N, D].
    /// </summary>
    /// <exception cref="ArgumentException">No labels, a label outside [0, classes), or a class without an example.</exception>
    public static Tensor Matrix(IReadOnlyList<int> labels, int classes, DType dtype) => Build(labels, classes, dtype, average: true);

    /// <summary>
    /// The indicator matrix M [classes, N] with M[c, i] = 1 when label i is c, else 0: M·X sums the rows of each class
    /// (Matching Networks' attention summed per class).
    /// </summary>
    /// <exception cref="ArgumentException">No labels, a label outside [0, classes), or a class without an example.</exception>
    internal static Tensor Indicator(IReadOnlyList<int> labels, int classes, DType dtype) => Build(labels, classes, dtype, average: false);

    private static Tensor Build(IReadOnlyList<int> labels, int classes, DType dtype, bool average)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        if (labels.Count == 0)
        {
            throw new ArgumentException("ClassMeans: no labels.", nameof(labels));
        }

        var counts = new int[classes];
        foreach (int label in labels)
        {
            if ((uint)label >= (uint)classes)
            {
                throw new ArgumentException($"ClassMeans: label {label} is outside 0..{classes - 1}.", nameof(labels));
            }

            counts[label]++;
        }

        int empty = Array.IndexOf(counts, 0);
        if (empty >= 0)
        {
            throw new ArgumentException($"ClassMeans: class {empty} of {classes} has no example in the support set.", nameof(labels));
        }

        var values = new double[classes * labels.Count];
        for (int i = 0; i < labels.Count; i++)
        {
            values[(labels[i] * labels.Count) + i] = average ? 1.0 / counts[labels[i]] : 1.0;
        }

        var matrix = Tensor.FromArray(values, classes, labels.Count);
        return dtype == DType.Float64 ? matrix : matrix.AsType(dtype);
    }

    /// <summary>The mean row of each class: <paramref name="rows"/> [N, D] with N labels → [classes, D], differentiable.</summary>
    /// <exception cref="ArgumentException">The shapes disagree, or a class has no row.</exception>
    public static Tensor Of(Tensor rows, IReadOnlyList<int> labels, int classes)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(labels);
        if (rows.Rank != 2 || rows.Shape[0] != labels.Count)
        {
            throw new ArgumentException($"ClassMeans: rows {Shapes.Format(rows.Shape)} must be [N, D] with N = {labels.Count} labels.", nameof(rows));
        }

        return Tensor.MatMul(Matrix(labels, classes, rows.DType), rows);
    }

    /// <summary>The mean of <paramref name="rows"/> per class of the support labels.</summary>
    /// <exception cref="ArgumentException">The shapes disagree, or a class below the largest label has no example.</exception>
    public static Tensor Of(Tensor rows, ClassificationExamples support)
    {
        ArgumentNullException.ThrowIfNull(support);
        return Of(rows, support.Labels, support.ClassCount);
    }
}
