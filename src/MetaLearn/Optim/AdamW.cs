using MetaLearn.Tensors;

namespace MetaLearn.Optim;

/// <summary>AdamW (Loshchilov &amp; Hutter, 2019): Adam with weight decay applied to the weights, θ ← θ − α·λ·θ, not to the gradient.</summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates the optimizer (decay 0.01 by default, as PyTorch's).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A coefficient is out of range.</exception>
    public AdamW(IReadOnlyList<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8,
        double weightDecay = 1e-2)
        : base(OneGroup(parameters), learningRate, beta1, beta2, epsilon, weightDecay)
    {
    }

    /// <summary>Creates the optimizer over parameter groups (layer-wise learning rates and weight decays).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A coefficient is out of range.</exception>
    public AdamW(IReadOnlyList<ParameterGroup> groups, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8,
        double weightDecay = 1e-2)
        : base(groups, learningRate, beta1, beta2, epsilon, weightDecay)
    {
    }

    /// <inheritdoc/>
    protected override bool DecoupledWeightDecay => true;
}
