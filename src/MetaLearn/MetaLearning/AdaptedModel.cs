using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.MetaLearning;

/// <summary>
/// What a conditioned (and adapted) learner predicts with, as a module and the weights it runs with:
/// <c>Forward(x)</c> equals the learner's <see cref="ILearner.Predict"/>. Export it (ONNX, safetensors) to ship the
/// adapted model without the learner.
/// </summary>
public sealed class AdaptedModel
{
    /// <summary>Pairs <paramref name="module"/> with <paramref name="weights"/> (one per module parameter, same shapes).</summary>
    /// <exception cref="ArgumentException">The weights do not match the module's parameters in number or shape.</exception>
    public AdaptedModel(Module module, IReadOnlyList<Tensor> weights)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(weights);
        var parameters = module.Parameters();
        if (weights.Count != parameters.Count)
        {
            throw new ArgumentException($"AdaptedModel: {weights.Count} weights given, the module has {parameters.Count} parameters.", nameof(weights));
        }

        for (int i = 0; i < weights.Count; i++)
        {
            if (weights[i] is null || !weights[i].Shape.AsSpan().SequenceEqual(parameters[i].Shape.AsSpan()))
            {
                throw new ArgumentException($"AdaptedModel: weight {i} ({module.NamedParameters()[i].Name}) does not have its parameter's shape "
                    + $"{Shapes.Format(parameters[i])}.", nameof(weights));
            }
        }

        Module = module;
        Weights = [.. weights.Select(w => w.Clone())];
    }

    /// <summary>The module (its own parameters are not used: <see cref="Weights"/> replace them).</summary>
    public Module Module { get; }

    /// <summary>The weights, one per parameter of <see cref="Module"/> in its order: copies, so later training does not change them.</summary>
    public IReadOnlyList<Tensor> Weights { get; }

    /// <summary>The model's output for <paramref name="inputs"/> (no gradient is recorded).</summary>
    public Tensor Forward(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        using var scope = Tensor.NoGrad();
        return Module.Forward(inputs, Weights);
    }
}
