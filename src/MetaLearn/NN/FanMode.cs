namespace MetaLearn.NN;

/// <summary>Which fan the He (Kaiming) initializers preserve the variance of.</summary>
public enum FanMode
{
    /// <summary>Fan-in (inputs per unit): keeps the variance of activations constant in the forward pass (the default).</summary>
    FanIn,

    /// <summary>Fan-out (outputs per unit): keeps the variance of gradients constant in the backward pass.</summary>
    FanOut,
}
