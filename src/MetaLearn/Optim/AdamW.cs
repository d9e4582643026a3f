using MetaLearn.Tensors;

namespace MetaLearn.Optim;

/// <summary>AdamW (Loshchilov &amp; Hutter, 2019): Adam with weight decay applied to the weights, θ ← θ − α·λ·θ, not to the gradient.</summary>
public sealed class AdamW(IReadOnlyList<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 1e-2)
    : Adam(parameters, learningRate, beta1, beta2, epsilon, weightDecay)
{
    /// <inheritdoc/>
    protected override bool DecoupledWeightDecay => true;
}
