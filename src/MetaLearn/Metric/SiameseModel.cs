using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Metric;

/// <summary>
/// The two parts of a Siamese network as one module, so they are trained, saved and passed weights together: the shared
/// embedding ("embedding") and the weighted-L1 head ("head", a Linear(D, 1) over |h₁ − h₂|). Its forward pass embeds.
/// </summary>
internal sealed class SiameseModel : Module
{
    public SiameseModel(Module embedding, Linear head)
    {
        Embedding = AddModule("embedding", embedding);
        Head = AddModule("head", head);
    }

    public Module Embedding { get; }

    public Linear Head { get; }

    /// <summary>The embeddings [N, D] of images (a larger embedding output is flattened).</summary>
    public override Tensor Forward(Tensor input, ParameterView parameters)
    {
        var z = Embedding.Forward(input, ChildParameters(parameters, 0));
        return z.Rank == 2 ? z : z.Flatten(1);
    }

    /// <summary>The head's logits [N] for the row pairs of two embedding sets [N, D].</summary>
    public Tensor RowLogits(Tensor first, Tensor second, ParameterView parameters)
    {
        var difference = (first - second).Abs();
        return Head.Forward(difference, ChildParameters(parameters, 1)).Reshape(first.Shape[0]);
    }

    /// <summary>The head's logits [Q, S] for every pair of a query embedding [Q, D] and a support embedding [S, D].</summary>
    public Tensor PairLogits(Tensor queries, Tensor support, ParameterView parameters)
    {
        int q = queries.Shape[0], s = support.Shape[0];
        var difference = (queries.Unsqueeze(1) - support.Unsqueeze(0)).Abs().Reshape(q * s, queries.Shape[1]);
        return Head.Forward(difference, ChildParameters(parameters, 1)).Reshape(q, s);
    }
}
