using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Metric;

/// <summary>
/// A trained <see cref="SiameseNetwork"/> as a relation function: the relation of a query and a reference is the
/// network's "same" logit for the pair (its learned weighted L1 distance of the two embeddings, or m/2 − ‖h₁ − h₂‖ when
/// it was trained with the contrastive loss). Hand it to <c>RelationTransferLearner</c> to carry a Siamese
/// network's learned similarity to new tasks, with or without fine-tuning on the support set.
/// </summary>
/// <remarks>
/// The relation's parameters are the Siamese network's own (<see cref="Network"/> is its model: embedding, then head),
/// so fine-tuning in <c>RelationTransferLearner</c> adapts copies of them and never changes the network.
/// </remarks>
public sealed class SiameseRelation : IRelationFunction
{
    /// <summary>Wraps <paramref name="network"/>.</summary>
    /// <param name="network">A Siamese network, usually meta-trained on pairs of the source classes.</param>
    public SiameseRelation(SiameseNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        Siamese = network;
    }

    /// <summary>The wrapped network.</summary>
    public SiameseNetwork Siamese { get; }

    /// <inheritdoc/>
    public Module Network => Siamese.Model;

    /// <summary>The "same" logits [Q, R] of every query with every reference, under <paramref name="weights"/>.</summary>
    /// <param name="queries">Query inputs [Q, ...].</param>
    /// <param name="references">Reference inputs [R, ...], shaped like the queries after the first axis.</param>
    /// <param name="weights">One tensor per parameter of <see cref="Network"/>, in its order.</param>
    /// <returns>The logits [Q, R]: higher means more likely the same class.</returns>
    /// <exception cref="ArgumentException">The weights do not match the network's parameters, or the inputs' shapes differ.</exception>
    public Tensor Relate(Tensor queries, Tensor references, IReadOnlyList<Tensor> weights)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(references);
        ArgumentNullException.ThrowIfNull(weights);
        int expected = Network.Parameters().Count;
        if (weights.Count != expected)
        {
            throw new ArgumentException($"SiameseRelation.Relate: {weights.Count} weights for the Siamese network's {expected} parameters.", nameof(weights));
        }

        if (queries.Rank != references.Rank || !queries.Shape.Skip(1).SequenceEqual(references.Shape.Skip(1)))
        {
            throw new ArgumentException($"SiameseRelation.Relate: references {Shapes.Format(references.Shape)} must be shaped like the "
                + $"queries {Shapes.Format(queries.Shape)} after the first axis.", nameof(references));
        }

        // One batch through the embedding, as the network was trained (batch statistics see both sides).
        int q = queries.Shape[0];
        var embeddings = Network.Forward(Tensor.Concat([queries, references], 0), new ParameterView(weights));
        return Siamese.PairLogits(embeddings.Slice(0, 0, q), embeddings.Slice(0, q, embeddings.Shape[0]), weights);
    }
}
