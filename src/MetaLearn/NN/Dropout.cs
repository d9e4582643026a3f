using MetaLearn.Tensors;

namespace MetaLearn.NN;

/// <summary>
/// Inverted dropout (Srivastava et al., 2014): in training mode each element is zeroed with probability p and the survivors
/// are scaled by 1/(1 − p), so the expected output equals the input and evaluation mode is the identity.
/// </summary>
/// <remarks>
/// Masks come from the layer's own <see cref="Generator"/>, so a fixed seed and call sequence reproduces them. Drawing a
/// mask is serialized by a lock, so one instance may be shared across threads safely; the masks each thread gets then
/// depend on scheduling, so for reproducible parallel runs give each thread its own model (or its own layer).
/// </remarks>
public sealed class Dropout : Module
{
    private readonly Generator _generator;
    private readonly Lock _gate = new();

    /// <summary>Creates the layer.</summary>
    /// <param name="probability">The probability p in [0, 1] of zeroing an element.</param>
    /// <param name="generator">The source of the masks (kept and advanced by every training-mode call).</param>
    public Dropout(double probability, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        if (!(probability >= 0 && probability <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "Dropout: the probability must be in [0, 1].");
        }

        Probability = probability;
        _generator = generator;
    }

    /// <summary>The probability of zeroing an element.</summary>
    public double Probability { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, ParameterView parameters)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!IsTraining || Probability == 0)
        {
            return input;
        }

        double keep = Probability == 1 ? 0 : 1.0 / (1 - Probability);
        var mask = new double[input.Count];
        lock (_gate)
        {
            for (int i = 0; i < mask.Length; i++)
            {
                mask[i] = _generator.NextDouble() < Probability ? 0 : keep;
            }
        }

        var maskTensor = Tensor.FromSpan(mask, input.Shape.AsSpan());
        return input * (input.DType == DType.Float64 ? maskTensor : maskTensor.AsType(input.DType));
    }
}
