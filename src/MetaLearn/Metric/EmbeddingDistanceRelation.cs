using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Metric;

/// <summary>
/// A Siamese relation: a learned embedding shared by both inputs and a fixed distance between the embeddings, turned into
/// a logit with a learned scale and offset, r(x, y) = b − exp(s)·d(f(x), f(y)) (Koch, Zemel &amp; Salakhutdinov 2015 learn
/// the embedding this way; the scale follows Oreshkin et al. 2018's metric scaling). Where a Siamese metric learner's
/// embedding exists, wrap it here to use it for relation transfer.
/// </summary>
/// <remarks>Parameters: "log_scale" and "offset" (scalars), then "embedding.*".</remarks>
public sealed class EmbeddingDistanceRelation : Module, IRelationFunction
{
    /// <summary>Creates the relation.</summary>
    /// <param name="embedding">f: [N, ...] → [N, ...] features (flattened to [N, D]).</param>
    /// <param name="distance">d.</param>
    /// <param name="dtype">Element type of the scale and offset.</param>
    public EmbeddingDistanceRelation(Module embedding, RelationDistance distance = RelationDistance.SquaredEuclidean, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        if (!Enum.IsDefined(distance))
        {
            throw new ArgumentOutOfRangeException(nameof(distance), distance, "EmbeddingDistanceRelation: unknown distance.");
        }

        Distance = distance;
        AddParameter("log_scale", Tensor.Zeros([], dtype));
        AddParameter("offset", Tensor.Zeros([], dtype));
        Embedding = AddModule("embedding", embedding);
    }

    /// <summary>f, the shared embedding.</summary>
    public Module Embedding { get; }

    /// <summary>d, the comparison of embeddings.</summary>
    public RelationDistance Distance { get; }

    /// <inheritdoc/>
    public Module Network => this;

    /// <inheritdoc/>
    public Tensor Relate(Tensor queries, Tensor references, IReadOnlyList<Tensor> weights)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(references);
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Count != Parameters().Count)
        {
            throw new ArgumentException($"EmbeddingDistanceRelation.Relate: {weights.Count} weights for {Parameters().Count} parameters.", nameof(weights));
        }

        var view = new ParameterView(weights);
        int q = queries.Shape[0];
        var features = FeatureVectors.Of(Embedding.Forward(Tensor.Concat([queries, references], 0), ChildParameters(view, 0)));
        var left = features.Slice(0, 0, q);
        var right = features.Slice(0, q, features.Shape[0]);
        var distance = Distance == RelationDistance.Cosine ? Distances.PairwiseCosineDistance(left, right) : Distances.PairwiseSquaredEuclidean(left, right);
        return view[1] - (view[0].Exp() * distance);
    }

    /// <summary>Scores pairs stacked on axis 1 ([N, 2, ...] → [N] logits).</summary>
    public override Tensor Forward(Tensor input, ParameterView parameters)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank < 2 || input.Shape[1] != 2)
        {
            throw new ArgumentException($"EmbeddingDistanceRelation: expected pairs [N, 2, ...], got {Shapes.Format(input.Shape)}.", nameof(input));
        }

        int n = input.Shape[0];
        var features = FeatureVectors.Of(Embedding.Forward(Tensor.Concat([input.Slice(1, 0, 1).Squeeze(1), input.Slice(1, 1, 2).Squeeze(1)], 0),
            ChildParameters(parameters, 0)));
        var first = features.Slice(0, 0, n);
        var second = features.Slice(0, n, 2 * n);
        var distance = Distance == RelationDistance.Cosine ? Distances.CosineDistance(first, second) : Distances.SquaredEuclidean(first, second);
        return parameters[1] - (parameters[0].Exp() * distance);
    }
}
