using MetaLearn.Tensors;

namespace MetaLearn.NN;

/// <summary>
/// Batch normalization of [N, C] or [N, C, L] inputs over the batch (and length) axes; see <see cref="BatchNorm"/> and,
/// for the meta-learning policy, <see cref="BatchNormStatistics"/>.
/// </summary>
/// <param name="numFeatures">The number of channels C.</param>
/// <param name="statistics">The normalization policy; <see cref="BatchNormStatistics.Batch"/> (MAML's) by default.</param>
/// <param name="epsilon">Added to the variance for stability.</param>
/// <param name="momentum">Weight of the new batch in the running averages.</param>
/// <param name="dtype">Element type of the parameters.</param>
public sealed class BatchNorm1d(int numFeatures, BatchNormStatistics statistics = BatchNormStatistics.Batch, double epsilon = 1e-5,
    double momentum = 0.1, DType dtype = DType.Float32)
    : BatchNorm(numFeatures, statistics, epsilon, momentum, dtype)
{
    /// <inheritdoc/>
    protected override string ExpectedLayout => "[N, C] or [N, C, L]";

    /// <inheritdoc/>
    protected override bool AcceptsRank(int rank) => rank is 2 or 3;
}
