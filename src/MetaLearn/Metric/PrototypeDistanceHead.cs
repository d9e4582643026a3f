using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Metric;

/// <summary>
/// The prototypical network's classifier as a layer: class scores −‖z − c_k‖² [N, K] of embeddings z (flattened past
/// axis 0 when they have more than two axes) against fixed prototypes c [K, D], held as the buffer "prototypes". Put
/// after an embedding, it turns a conditioned prototypical learner into one model (what
/// <see cref="MetaLearning.IAdaptedModelLearner.AdaptedModel"/> returns) that can be saved or exported whole.
/// </summary>
public sealed class PrototypeDistanceHead : Module
{
    private readonly Tensor _prototypes;

    /// <summary>Creates the head around <paramref name="prototypes"/> [K, D], copied (the head has no parameters and is never trained).</summary>
    /// <exception cref="ArgumentException">The prototypes are not a non-empty matrix.</exception>
    public PrototypeDistanceHead(Tensor prototypes)
    {
        ArgumentNullException.ThrowIfNull(prototypes);
        if (prototypes.Rank != 2 || prototypes.Shape[0] == 0 || prototypes.Shape[1] == 0)
        {
            throw new ArgumentException(
                $"PrototypeDistanceHead: expected prototypes [K, D] with K, D ≥ 1, got {Shapes.Format(prototypes)}.", nameof(prototypes));
        }

        _prototypes = AddBuffer("prototypes", prototypes.Clone());
    }

    /// <summary>The class prototypes [K, D].</summary>
    public Tensor Prototypes => _prototypes;

    /// <summary>The number of classes K.</summary>
    public int ClassCount => _prototypes.Shape[0];

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, ParameterView parameters)
    {
        ArgumentNullException.ThrowIfNull(input);
        var embeddings = input.Rank == 2 ? input : input.Flatten(1);
        return PrototypicalNetworks.Scores(embeddings, _prototypes);
    }
}
