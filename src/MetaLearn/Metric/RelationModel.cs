using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Metric;

/// <summary>
/// The module of a <see cref="RelationNetwork"/>: "embedding.*" then "relation.*". <see cref="Forward"/> scores pairs
/// stacked on axis 1 ([N, 2, ...] → [N]); <see cref="Relate"/> embeds each query and reference once and scores all pairs.
/// </summary>
internal sealed class RelationModel : Module
{
    public RelationModel(Module embedding, Module relation)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        ArgumentNullException.ThrowIfNull(relation);
        Embedding = AddModule("embedding", embedding);
        Relation = AddModule("relation", relation);
    }

    public Module Embedding { get; }

    public Module Relation { get; }

    /// <summary>Relation logits [Q, R] of every query with every reference under <paramref name="parameters"/>.</summary>
    public Tensor Relate(Tensor queries, Tensor references, ParameterView parameters)
    {
        int q = queries.Shape[0];
        int r = references.Shape[0];

        // One embedding pass over queries and references together (one batch, so batch statistics, if any, are shared).
        var features = FeatureVectors.Of(Embedding.Forward(Tensor.Concat([queries, references], 0), ChildParameters(parameters, 0)));
        int d = features.Shape[1];
        var left = features.Slice(0, 0, q).Unsqueeze(1).BroadcastTo(q, r, d);
        var right = features.Slice(0, q, q + r).Unsqueeze(0).BroadcastTo(q, r, d);
        var pairs = Tensor.Concat([left, right], 2).Reshape(q * r, 2 * d);
        return Relation.Forward(pairs, ChildParameters(parameters, 1)).Reshape(q, r);
    }

    public override Tensor Forward(Tensor input, ParameterView parameters)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank < 2 || input.Shape[1] != 2)
        {
            throw new ArgumentException($"RelationNetwork: expected pairs [N, 2, ...], got {Shapes.Format(input.Shape)}.", nameof(input));
        }

        int n = input.Shape[0];
        var first = input.Slice(1, 0, 1).Squeeze(1);
        var second = input.Slice(1, 1, 2).Squeeze(1);
        var features = FeatureVectors.Of(Embedding.Forward(Tensor.Concat([first, second], 0), ChildParameters(parameters, 0)));
        var pairs = Tensor.Concat([features.Slice(0, 0, n), features.Slice(0, n, 2 * n)], 1);
        return Relation.Forward(pairs, ChildParameters(parameters, 1)).Reshape(n);
    }
}
