using MetaLearn.Tensors;

namespace MetaLearn.Optim;

/// <summary>
/// Adam (Kingma &amp; Ba, 2015) written with tensor operations, returning new tensors and a new state: the same update as
/// <see cref="Adam"/> (or <see cref="AdamW"/> with <paramref name="decoupledWeightDecay"/>), differentiable through the
/// gradients and the moments. Immutable, so one instance serves every task of a meta-batch at once.
/// </summary>
/// <remarks>
/// Where v̂ is exactly 0 (every gradient so far exactly 0: a dead unit) the root's derivative is taken as 0, so
/// second-order gradients through the step stay finite and exact there instead of NaN (see <see cref="SafeRoot"/>).
/// </remarks>
/// <param name="learningRate">α, finite and non-negative.</param>
/// <param name="beta1">β₁ in [0, 1).</param>
/// <param name="beta2">β₂ in [0, 1).</param>
/// <param name="epsilon">ε &gt; 0.</param>
/// <param name="weightDecay">λ ≥ 0.</param>
/// <param name="decoupledWeightDecay">AdamW's decay (θ ← θ − αλθ) instead of adding λθ to the gradient.</param>
public sealed class DifferentiableAdam(double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8,
    double weightDecay = 0, bool decoupledWeightDecay = false)
    : IDifferentiableOptimizer
{
    /// <summary>α.</summary>
    public double LearningRate { get; } = Checked(learningRate, beta1, beta2, epsilon, weightDecay);

    /// <summary>β₁.</summary>
    public double Beta1 { get; } = beta1;

    /// <summary>β₂.</summary>
    public double Beta2 { get; } = beta2;

    /// <summary>ε.</summary>
    public double Epsilon { get; } = epsilon;

    /// <summary>λ.</summary>
    public double WeightDecay { get; } = weightDecay;

    /// <summary>Whether the decay is AdamW's.</summary>
    public bool DecoupledWeightDecay { get; } = decoupledWeightDecay;

    /// <inheritdoc/>
    public DifferentiableState Init(IReadOnlyList<Tensor> parameters)
    {
        DifferentiableStepGuard.CheckInit(parameters);
        return DifferentiableState.Empty(parameters.Count, Adam.FirstMomentName, Adam.SecondMomentName);
    }

    /// <inheritdoc/>
    public (Tensor[] Parameters, DifferentiableState State) Step(IReadOnlyList<Tensor> parameters, IReadOnlyList<Tensor?> gradients, DifferentiableState state)
    {
        DifferentiableStepGuard.Check(parameters, gradients, state, Adam.FirstMomentName, Adam.SecondMomentName);
        Tensor?[] m = [.. state.Buffer(Adam.FirstMomentName)];
        Tensor?[] v = [.. state.Buffer(Adam.SecondMomentName)];
        var (result, steps) = DifferentiableUpdate.Apply(parameters, gradients, state, (i, theta, g, t) =>
        {
            var d = g;
            if (WeightDecay != 0)
            {
                if (DecoupledWeightDecay)
                {
                    theta *= 1 - (LearningRate * WeightDecay);
                }
                else
                {
                    d = g + (parameters[i] * WeightDecay);
                }
            }

            // Null moments are zero: the first update is m = (1−β₁)g, v = (1−β₂)g².
            var scaledD = d * (1 - Beta1);
            var scaledD2 = d.Square() * (1 - Beta2);
            var mNew = m[i] is { } mPrev ? (mPrev * Beta1) + scaledD : scaledD;
            var vNew = v[i] is { } vPrev ? (vPrev * Beta2) + scaledD2 : scaledD2;
            m[i] = mNew;
            v[i] = vNew;
            double correction1 = 1 - Math.Pow(Beta1, t);
            double correction2 = 1 - Math.Pow(Beta2, t);
            var denominator = SafeRoot.Of(vNew * (1 / correction2)) + Epsilon;
            return theta - (mNew * (LearningRate / correction1) / denominator);
        });

        var named = new Dictionary<string, IReadOnlyList<Tensor?>>(StringComparer.Ordinal)
        {
            [Adam.FirstMomentName] = m,
            [Adam.SecondMomentName] = v,
        };
        return (result, new DifferentiableState(steps, named));
    }

    private static double Checked(double learningRate, double beta1, double beta2, double epsilon, double weightDecay)
    {
        OptimizerChecks.NonNegative(learningRate, nameof(learningRate));
        OptimizerChecks.Beta(beta1, nameof(beta1));
        OptimizerChecks.Beta(beta2, nameof(beta2));
        OptimizerChecks.Positive(epsilon, nameof(epsilon));
        OptimizerChecks.NonNegative(weightDecay, nameof(weightDecay));
        return learningRate;
    }
}
