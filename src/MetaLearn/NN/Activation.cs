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

    /// <summary>x if x &gt; 0 else α·(eˣ − 1) (Clevert et al., 2016; α configurable, 1 by default).</summary>
    Elu,
}

/// <summary>An elementwise activation layer (ReLU, leaky ReLU, tanh, sigmoid or ELU).</summary>
/// <param name="kind">The function applied.</param>
/// <param name="slope">Leaky ReLU's slope for negative inputs.</param>
/// <param name="alpha">ELU's α, the value approached for large negative inputs is −α.</param>
public sealed class Activation(ActivationKind kind, double slope = 0.01, double alpha = 1.0) : Module
{
    /// <summary>The function applied.</summary>
    public ActivationKind Kind { get; } = kind;

    /// <summary>Leaky ReLU's slope for negative inputs (read only by <see cref="ActivationKind.LeakyRelu"/>).</summary>
    public double Slope { get; } = slope;

    /// <summary>ELU's α (read only by <see cref="ActivationKind.Elu"/>).</summary>
    public double Alpha { get; } = alpha;

    /// <inheritdoc/>
    internal override bool SupportsTaskBatching => true;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, ParameterView parameters)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Kind switch
        {
            ActivationKind.Relu => input.Relu(),
            ActivationKind.LeakyRelu => input.LeakyRelu(Slope),
            ActivationKind.Tanh => input.Tanh(),
            ActivationKind.Elu => input.Elu(Alpha),
            _ => input.Sigmoid(),
        };
    }
}
