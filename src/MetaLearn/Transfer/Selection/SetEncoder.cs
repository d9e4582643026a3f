using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Transfer.Selection;

/// <summary>
/// A permutation-invariant encoder of a set of vectors (Deep Sets, Zaheer et al., NeurIPS 2017): ρ(meanᵢ φ(xᵢ)), with φ
/// an MLP applied to every element and ρ a linear map of the pooled result. A task's example features [N, F] become one
/// task embedding [E], whatever N and the order of the examples.
/// </summary>
/// <remarks>Parameters: "phi.*" (F → H → H, ReLU after each layer) then "rho.*" (H → E).</remarks>
public sealed class SetEncoder : Module
{
    /// <summary>Creates the encoder.</summary>
    /// <param name="features">F, the width of each element.</param>
    /// <param name="hidden">H, φ's width.</param>
    /// <param name="embedding">E, the width of the set's embedding.</param>
    /// <param name="generator">The random source of the initialization.</param>
    /// <param name="dtype">Element type of the parameters.</param>
    public SetEncoder(int features, int hidden, int embedding, Generator generator, DType dtype = DType.Float32)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hidden, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(embedding, 1);
        ArgumentNullException.ThrowIfNull(generator);
        Features = features;
        EmbeddingWidth = embedding;
        AddModule("phi",
            new Sequential(new Linear(features, hidden, generator, dtype: dtype), new Activation(ActivationKind.Relu),
                new Linear(hidden, hidden, generator, dtype: dtype), new Activation(ActivationKind.Relu)));
        AddModule("rho", new Linear(hidden, embedding, generator, dtype: dtype));
    }

    /// <summary>F, the width of each element.</summary>
    public int Features { get; }

    /// <summary>E, the width of a set's embedding.</summary>
    public int EmbeddingWidth { get; }

    /// <summary>The embedding [E] of the set <paramref name="input"/> [N, F].</summary>
    public override Tensor Forward(Tensor input, ParameterView parameters)
    {
        TaskSets.Check(input, nameof(input));
        if (input.Shape[1] != Features)
        {
            throw new ArgumentException($"SetEncoder: elements of width {input.Shape[1]}; the encoder takes {Features}.", nameof(input));
        }

        var pooled = Children[0].Child.Forward(input, ChildParameters(parameters, 0)).Mean(0, keepDims: true);
        return Children[1].Child.Forward(pooled, ChildParameters(parameters, 1)).Reshape(EmbeddingWidth);
    }
}
