using MetaLearn.Tensors;

namespace MetaLearn.NN;

/// <summary>Fully connected layer y = x·Wᵀ + b, with W [out, in] and b [out] (PyTorch's layout and default initialization).</summary>
public sealed class Linear : Module
{
    /// <summary>Creates the layer with PyTorch's default initialization: W, b ~ U(−1/√in, 1/√in).</summary>
    public Linear(int inFeatures, int outFeatures, Generator generator, bool bias = true, DType dtype = DType.Float32)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outFeatures);
        ArgumentNullException.ThrowIfNull(generator);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        HasBias = bias;
        double bound = 1.0 / Math.Sqrt(inFeatures);
        AddParameter("weight", Tensor.RandomUniform(generator, [outFeatures, inFeatures], -bound, bound, dtype));
        if (bias)
        {
            AddParameter("bias", Tensor.RandomUniform(generator, [outFeatures], -bound, bound, dtype));
        }
    }

    /// <summary>Input features.</summary>
    public int InFeatures { get; }

    /// <summary>Output features.</summary>
    public int OutFeatures { get; }

    /// <summary>Whether the layer adds a bias.</summary>
    public bool HasBias { get; }

    /// <inheritdoc/>
    internal override bool SupportsTaskBatching => true;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, ParameterView parameters)
        => Functional.Linear(input, parameters[0], HasBias ? parameters[1] : null);

    /// <summary>The layer followed by ReLU, as one node (what <see cref="Sequential"/> runs for a Linear, Activation(Relu) pair).</summary>
    internal Tensor ForwardRelu(Tensor input, ParameterView parameters)
        => Functional.LinearRelu(input, parameters[0], HasBias ? parameters[1] : null);
}
