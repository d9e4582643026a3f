using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Transfer.Selection;

/// <summary>
/// The fixed baseline task distance: the Euclidean (or cosine) distance between the two tasks' mean feature vectors, the
/// mean embedding as task representation (Achille et al. 2019's Task2Vec compares richer statistics; this is the simplest).
/// </summary>
/// <param name="cosine">Cosine distance of the means instead of Euclidean.</param>
public sealed class MeanEmbeddingDistance(bool cosine = false) : ITaskDistance
{
    /// <summary>Whether the cosine distance of the means is used.</summary>
    public bool Cosine { get; } = cosine;

    /// <summary>The task representation: the mean of the feature set [N, F] → [F].</summary>
    public static Tensor Represent(Tensor features)
    {
        TaskSets.Check(features, nameof(features));
        using var noGrad = Tensor.NoGrad();
        return features.Mean(0);
    }

    /// <inheritdoc/>
    public double Distance(Tensor first, Tensor second)
    {
        TaskSets.CheckPair(first, second);
        var a = Represent(first);
        var b = Represent(second);
        using var noGrad = Tensor.NoGrad();
        return (Cosine ? Distances.CosineDistance(a, b) : Distances.Euclidean(a, b)).Item();
    }
}
