using MetaLearn.NN;
using MetaLearn.Tensors;
using MetaLearn.Transfer.Features;

namespace MetaLearn.Metric;

/// <summary>
/// A relation network (Sung, Yang, Zhang, Xiang, Torr &amp; Hospedales, CVPR 2018, "Learning to Compare: Relation Network
/// for Few-Shot Learning"): an embedding module f maps each input to features, and a relation module g scores a pair
/// from their concatenation, r(x, y) = g([f(x), f(y)]). The score is a logit (the paper's sigmoid is applied by the loss).
/// </summary>
/// <remarks>
/// Parameters are "embedding.*" then "relation.*". The relation module takes [P, 2D] (flattened features side by side)
/// and returns [P, 1]; the paper's Omniglot relation module convolves the stacked feature maps, this one is any module
/// on flattened features (an MLP by <see cref="Create"/>). <see cref="Module.Forward(Tensor, ParameterView)"/> scores pairs
/// stacked on axis 1 ([N, 2, ...] → [N]); <see cref="Relate"/> embeds each query and reference once and scores all pairs.
/// </remarks>
public sealed class RelationNetwork : Module, IRelationFunction
{
    /// <summary>Creates the network from its two parts.</summary>
    /// <param name="embedding">f: [N, ...] → [N, ...] features (flattened to [N, D]).</param>
    /// <param name="relation">g: [P, 2D] → [P, 1] logits.</param>
    public RelationNetwork(Module embedding, Module relation)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        ArgumentNullException.ThrowIfNull(relation);
        Embedding = AddModule("embedding", embedding);
        Relation = AddModule("relation", relation);
    }

    /// <summary>f, the embedding module.</summary>
    public Module Embedding { get; }

    /// <summary>g, the relation module.</summary>
    public Module Relation { get; }

    /// <inheritdoc/>
    public Module Network => this;

    /// <summary>A relation network with <paramref name="embedding"/> producing <paramref name="features"/> features and an MLP relation module 2D → hidden → 1.</summary>
    /// <param name="embedding">f.</param>
    /// <param name="features">D, the flattened feature length f produces.</param>
    /// <param name="hidden">The relation MLP's hidden width (Sung et al. use 8 on Omniglot).</param>
    /// <param name="generator">The random source of the relation module's initialization.</param>
    /// <param name="dtype">Element type of the relation module.</param>
    public static RelationNetwork Create(Module embedding, int features, int hidden, Generator generator, DType dtype = DType.Float32)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hidden, 1);
        return new RelationNetwork(embedding, Backbones.Mlp([2 * features, hidden, 1], ActivationKind.Relu, generator, dtype));
    }

    /// <inheritdoc/>
    public Tensor Relate(Tensor queries, Tensor references, IReadOnlyList<Tensor> weights)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(references);
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Count != Parameters().Count)
        {
            throw new ArgumentException($"RelationNetwork.Relate: {weights.Count} weights for {Parameters().Count} parameters.", nameof(weights));
        }

        var view = new ParameterView(weights);
        int q = queries.Shape[0];
        int r = references.Shape[0];

        // One embedding pass over queries and references together (one batch, so batch statistics, if any, are shared).
        var features = FeatureTransferLearner.Features(Embedding.Forward(Tensor.Concat([queries, references], 0), ChildParameters(view, 0)), normalize: false);
        int d = features.Shape[1];
        var left = features.Slice(0, 0, q).Unsqueeze(1).BroadcastTo(q, r, d);
        var right = features.Slice(0, q, q + r).Unsqueeze(0).BroadcastTo(q, r, d);
        var pairs = Tensor.Concat([left, right], 2).Reshape(q * r, 2 * d);
        return Relation.Forward(pairs, ChildParameters(view, 1)).Reshape(q, r);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, ParameterView parameters)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank < 2 || input.Shape[1] != 2)
        {
            throw new ArgumentException($"RelationNetwork: expected pairs [N, 2, ...], got [{string.Join(", ", input.Shape)}].", nameof(input));
        }

        int n = input.Shape[0];
        var first = input.Slice(1, 0, 1).Squeeze(1);
        var second = input.Slice(1, 1, 2).Squeeze(1);
        var features = FeatureTransferLearner.Features(Embedding.Forward(Tensor.Concat([first, second], 0), ChildParameters(parameters, 0)), normalize: false);
        var pairs = Tensor.Concat([features.Slice(0, 0, n), features.Slice(0, n, 2 * n)], 1);
        return Relation.Forward(pairs, ChildParameters(parameters, 1)).Reshape(n);
    }
}
