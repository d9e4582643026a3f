using MetaLearn.Tensors;

namespace MetaLearn.Evaluation;

/// <summary>
/// The baseline that learns nothing: a query takes the label of the support image nearest to it in Euclidean distance
/// over raw pixels (the first one on a tie).
/// </summary>
/// <remarks>
/// Lake et al. (2015) report about 21.7% for a pixel nearest neighbour on their 20 within-alphabet 20-way runs, against
/// 5% for chance; a learner should beat it by far.
/// </remarks>
public sealed class PixelNearestNeighbour : IFewShotClassifier
{
    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The label count or the per-image sizes disagree.</exception>
    public int[] Classify(Tensor supportImages, int[] supportLabels, Tensor queryImages)
    {
        ArgumentNullException.ThrowIfNull(supportImages);
        ArgumentNullException.ThrowIfNull(supportLabels);
        ArgumentNullException.ThrowIfNull(queryImages);
        int supports = supportImages.Rank == 0 ? 0 : supportImages.Shape[0];
        int queries = queryImages.Rank == 0 ? 0 : queryImages.Shape[0];
        if (supports == 0 || supports != supportLabels.Length)
        {
            throw new ArgumentException($"PixelNearestNeighbour: {supportLabels.Length} labels for support images [{string.Join(", ", supportImages.Shape)}].", nameof(supportLabels));
        }

        int size = supportImages.Count / supports;
        if (queries == 0 || queryImages.Count / queries != size)
        {
            throw new ArgumentException($"PixelNearestNeighbour: query images [{string.Join(", ", queryImages.Shape)}] are not the size of the support images [{string.Join(", ", supportImages.Shape)}].", nameof(queryImages));
        }

        var support = supportImages.ToArray();
        var query = queryImages.ToArray();
        var predictions = new int[queries];
        for (int q = 0; q < queries; q++)
        {
            var x = query.AsSpan(q * size, size);
            double best = double.PositiveInfinity;
            for (int s = 0; s < supports; s++)
            {
                var y = support.AsSpan(s * size, size);
                double distance = 0;
                for (int i = 0; i < size; i++)
                {
                    double d = x[i] - y[i];
                    distance += d * d;
                }

                if (distance < best)
                {
                    best = distance;
                    predictions[q] = supportLabels[s];
                }
            }
        }

        return predictions;
    }
}
