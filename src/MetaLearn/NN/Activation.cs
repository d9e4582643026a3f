using MetaLearn.Tensors;

namespace MetaLearn.NN;

/// <summary>The parameter-free activation functions.</summary>
public enum ActivationKind
{
    /// <summary>max(x, 0).</summary>
    Relu,

    /// <summary>x if x &gt; 0 else 0.01·x (slope configurable).</summary>
    LeakyRelu,

    /// <summary>Hyperbolic tangent.</summary>
    Tanh,

    /// <summary>Logistic sigmoid.</summary>
    Sigmoid,
}

/// <summary>An elementwise activation layer (ReLU, leaky ReLU, tanh or sigmoid).</summary>
public sealed class Activation(ActivationKind kind, double slope = 0.01) : Module
{
    /// <summary>The function applied.</summary>
    public ActivationKind Kind { get; } = kind;

    /// <inheritdoc/>
    internal override bool SupportsTaskBatching => true;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, ParameterView parameters)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Kind switch
        {
            ActivationKind.Relu => input.Relu(),
            ActivationKind.LeakyRelu => input.LeakyRelu(slope),
            ActivationKind.Tanh => input.Tanh(),
            _ => input.Sigmoid(),
        };
    }
}
