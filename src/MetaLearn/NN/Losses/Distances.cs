using MetaLearn.Tensors;

namespace MetaLearn.NN;

/// <summary>
/// Differentiable distances and similarities between vectors along the last axis: row-wise between same-shaped tensors
/// ([..., D] and [..., D] → [...]) and pairwise between two sets ([N, D] and [M, D] → [N, M], e.g. queries × prototypes).
/// </summary>
/// <remarks>
/// Square roots are taken of max(s, ε²), not s, so identical vectors give distance ε with a zero gradient instead of the
/// 0·∞ = NaN of √s at 0; above ε the value is exact. Pairwise distances are computed from explicit differences (memory
/// N·M·D), which never goes negative the way ‖x‖² + ‖y‖² − 2x·y can in floating point.
/// </remarks>
public static class Distances
{
    /// <summary>The default ε of the Euclidean and cosine functions.</summary>
    public const double DefaultEpsilon = 1e-8;

    /// <summary>Row-wise L1 (Manhattan) distance Σ|xᵢ − yᵢ| over the last axis.</summary>
    public static Tensor L1(Tensor x, Tensor y) => RowDifference("L1", x, y).Abs().Sum(-1);

    /// <summary>Row-wise squared Euclidean distance Σ(xᵢ − yᵢ)² over the last axis.</summary>
    public static Tensor SquaredEuclidean(Tensor x, Tensor y) => RowDifference("SquaredEuclidean", x, y).Square().Sum(-1);

    /// <summary>Row-wise Euclidean (L2) distance √max(Σ(xᵢ − yᵢ)², ε²) over the last axis.</summary>
    public static Tensor Euclidean(Tensor x, Tensor y, double epsilon = DefaultEpsilon) => SafeSqrt(SquaredEuclidean(x, y), epsilon);

    /// <summary>Row-wise cosine similarity x·y / (max(‖x‖, ε)·max(‖y‖, ε)) over the last axis, in [−1, 1].</summary>
    public static Tensor CosineSimilarity(Tensor x, Tensor y, double epsilon = DefaultEpsilon)
    {
        CheckRows("CosineSimilarity", x, y);
        return (x * y).Sum(-1) / (Norm(x, epsilon) * Norm(y, epsilon));
    }

    /// <summary>Row-wise cosine distance 1 − cosine similarity, in [0, 2].</summary>
    public static Tensor CosineDistance(Tensor x, Tensor y, double epsilon = DefaultEpsilon) => 1.0 - CosineSimilarity(x, y, epsilon);

    /// <summary>Pairwise L1 distances [N, M] between the rows of x [N, D] and y [M, D].</summary>
    public static Tensor PairwiseL1(Tensor x, Tensor y) => PairDifference("PairwiseL1", x, y).Abs().Sum(-1);

    /// <summary>Pairwise squared Euclidean distances [N, M] between the rows of x [N, D] and y [M, D] (Prototypical Networks' metric).</summary>
    public static Tensor PairwiseSquaredEuclidean(Tensor x, Tensor y) => PairDifference("PairwiseSquaredEuclidean", x, y).Square().Sum(-1);

    /// <summary>Pairwise Euclidean distances [N, M] between the rows of x [N, D] and y [M, D].</summary>
    public static Tensor PairwiseEuclidean(Tensor x, Tensor y, double epsilon = DefaultEpsilon) => SafeSqrt(PairwiseSquaredEuclidean(x, y), epsilon);

    /// <summary>Pairwise cosine similarities [N, M] between the rows of x [N, D] and y [M, D] (Matching Networks' metric).</summary>
    public static Tensor PairwiseCosineSimilarity(Tensor x, Tensor y, double epsilon = DefaultEpsilon)
    {
        CheckSets("PairwiseCosineSimilarity", x, y);
        var xn = x / Norm(x, epsilon).Unsqueeze(-1);
        var yn = y / Norm(y, epsilon).Unsqueeze(-1);
        return Tensor.MatMul(xn, yn, transposeB: true);
    }

    /// <summary>Pairwise cosine distances 1 − cosine similarity [N, M].</summary>
    public static Tensor PairwiseCosineDistance(Tensor x, Tensor y, double epsilon = DefaultEpsilon) => 1.0 - PairwiseCosineSimilarity(x, y, epsilon);

    /// <summary>max(‖v‖, ε) along the last axis, as √max(Σv², ε²) so that a zero vector has a zero (not NaN) gradient.</summary>
    private static Tensor Norm(Tensor v, double epsilon) => SafeSqrt(v.Square().Sum(-1), epsilon);

    private static Tensor SafeSqrt(Tensor squared, double epsilon)
    {
        if (!(epsilon > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be positive.");
        }

        return squared.Maximum(Tensor.Scalar(epsilon * epsilon, squared.DType)).Sqrt();
    }

    private static Tensor RowDifference(string op, Tensor x, Tensor y)
    {
        CheckRows(op, x, y);
        return x - y;
    }

    private static void CheckRows(string op, Tensor x, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Rank == 0)
        {
            throw new ArgumentException($"{op}: expected vectors along the last axis, got a scalar.", nameof(x));
        }

        LossChecks.SameShape(op, x, y, nameof(y));
        LossChecks.NonEmpty(op, x, nameof(x));
    }

    private static Tensor PairDifference(string op, Tensor x, Tensor y)
    {
        CheckSets(op, x, y);
        return x.Unsqueeze(1) - y.Unsqueeze(0);
    }

    private static void CheckSets(string op, Tensor x, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        LossChecks.Rank(op, x, 2, "x [N, D]", nameof(x));
        LossChecks.Rank(op, y, 2, "y [M, D]", nameof(y));
        if (x.Shape[1] != y.Shape[1])
        {
            throw new ArgumentException($"{op}: x {Shapes.Format(x)} and y {Shapes.Format(y)} differ in the feature dimension.", nameof(y));
        }

        LossChecks.SameType(op, x, y, nameof(y));
        LossChecks.NonEmpty(op, x, nameof(x));
        LossChecks.NonEmpty(op, y, nameof(y));
    }
}
