using MetaLearn.Tensors;

namespace MetaLearn.NN;

/// <summary>
/// Layer normalization (Ba, Kiros &amp; Hinton, 2016) with PyTorch's <c>nn.LayerNorm</c> semantics: each sample is normalized
/// over its last axes (the normalized shape) with its own mean and biased variance, then scaled by "weight" (initially 1) and
/// shifted by "bias" (initially 0), both shaped like the normalized axes. Unlike batch norm it keeps no statistics and
/// behaves the same in training and evaluation.
/// </summary>
public sealed class LayerNorm : Module
{
    private readonly int[] _normalizedShape;

    /// <summary>Normalizes over the last axis, of <paramref name="features"/> elements.</summary>
    /// <param name="features">The size of the last axis.</param>
    /// <param name="epsilon">Added to the variance for stability.</param>
    /// <param name="elementwiseAffine">Whether to learn "weight" (and "bias").</param>
    /// <param name="bias">Whether to learn "bias" (with <paramref name="elementwiseAffine"/>).</param>
    /// <param name="dtype">Element type of the parameters.</param>
    public LayerNorm(int features, double epsilon = 1e-5, bool elementwiseAffine = true, bool bias = true, DType dtype = DType.Float32)
        : this([features], epsilon, elementwiseAffine, bias, dtype)
    {
    }

    /// <summary>Normalizes over the trailing axes of <paramref name="normalizedShape"/>.</summary>
    /// <param name="normalizedShape">The trailing dimensions of the input that are normalized over (at least one, all positive).</param>
    /// <param name="epsilon">Added to the variance for stability.</param>
    /// <param name="elementwiseAffine">Whether to learn "weight" (and "bias").</param>
    /// <param name="bias">Whether to learn "bias" (with <paramref name="elementwiseAffine"/>).</param>
    /// <param name="dtype">Element type of the parameters.</param>
    public LayerNorm(int[] normalizedShape, double epsilon = 1e-5, bool elementwiseAffine = true, bool bias = true, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(normalizedShape);
        if (normalizedShape.Length == 0 || normalizedShape.Any(d => d <= 0))
        {
            throw new ArgumentException($"LayerNorm: the normalized shape {Shapes.Format(normalizedShape)} must have at least one dimension, "
                + $"all positive.", nameof(normalizedShape));
        }

        if (!(epsilon > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "LayerNorm: epsilon must be positive.");
        }

        _normalizedShape = (int[])normalizedShape.Clone();
        Epsilon = epsilon;
        ElementwiseAffine = elementwiseAffine;
        HasBias = elementwiseAffine && bias;
        if (elementwiseAffine)
        {
            AddParameter("weight", Tensor.Ones(normalizedShape, dtype));
            if (bias)
            {
                AddParameter("bias", Tensor.Zeros(normalizedShape, dtype));
            }
        }
    }

    /// <summary>The trailing dimensions normalized over.</summary>
    public IReadOnlyList<int> NormalizedShape => _normalizedShape;

    /// <summary>Added to the variance before the square root.</summary>
    public double Epsilon { get; }

    /// <summary>Whether the layer learns a per-element scale ("weight").</summary>
    public bool ElementwiseAffine { get; }

    /// <summary>Whether the layer learns a per-element shift ("bias").</summary>
    public bool HasBias { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, ParameterView parameters)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Functional.LayerNorm(input, _normalizedShape, ElementwiseAffine ? parameters[0] : null, HasBias ? parameters[1] : null, Epsilon);
    }
}
