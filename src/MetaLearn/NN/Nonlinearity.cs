namespace MetaLearn.NN;

/// <summary>The nonlinearity that follows a layer, which sets the initialization gain (PyTorch's <c>calculate_gain</c>).</summary>
public enum Nonlinearity
{
    /// <summary>Identity (also linear and convolution layers): gain 1.</summary>
    Linear,

    /// <summary>Logistic sigmoid: gain 1.</summary>
    Sigmoid,

    /// <summary>Hyperbolic tangent: gain 5/3.</summary>
    Tanh,

    /// <summary>ReLU: gain √2.</summary>
    Relu,

    /// <summary>Leaky ReLU with negative slope a: gain √(2 / (1 + a²)).</summary>
    LeakyRelu,
}
