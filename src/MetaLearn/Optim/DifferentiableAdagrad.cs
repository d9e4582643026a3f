using MetaLearn.Tensors;

namespace MetaLearn.Optim;

/// <summary>
/// Adagrad (Duchi et al., 2011) written with tensor operations, returning new tensors and a new state: PyTorch's
/// <c>torch.optim.Adagrad</c> update, differentiable through the gradients and the accumulated squares, for inner loops
/// that step with Adagrad (as "higher" offers). Immutable, so one instance serves every task of a meta-batch at once.
/// </summary>
/// <remarks>
/// <para>At the t-th update of a parameter, with d = g + λθ: s ← s + d², θ ← θ − αₜ·d/(√s + ε), where
/// αₜ = α/(1 + (t−1)·η) decays with η (PyTorch's <c>lr_decay</c>) and s starts at the initial accumulator value.</para>
/// <para>Where s is exactly 0 (every gradient so far exactly 0, no initial accumulator) the root's derivative is taken
/// as 0, so second-order gradients stay finite and exact there (see <see cref="SafeRoot"/>); PyTorch gives NaN.</para>
/// </remarks>
/// <param name="learningRate">α, finite and non-negative.</param>
/// <param name="learningRateDecay">η ≥ 0.</param>
/// <param name="weightDecay">λ ≥ 0: adds λθ to the gradient.</param>
/// <param name="initialAccumulatorValue">s before the first update, ≥ 0.</param>
/// <param name="epsilon">ε &gt; 0 (1e-10, PyTorch's default).</param>
public sealed class DifferentiableAdagrad(double learningRate = 1e-2, double learningRateDecay = 0, double weightDecay = 0,
    double initialAccumulatorValue = 0, double epsilon = 1e-10)
    : IDifferentiableOptimizer
{
    /// <summary>The name of the accumulated squared gradients in <see cref="DifferentiableState"/> (PyTorch's).</summary>
    public const string SumName = "sum";

    /// <summary>α.</summary>
    public double LearningRate { get; } = Checked(learningRate, learningRateDecay, weightDecay, initialAccumulatorValue, epsilon);

    /// <summary>η.</summary>
    public double LearningRateDecay { get; } = learningRateDecay;

    /// <summary>λ.</summary>
    public double WeightDecay { get; } = weightDecay;

    /// <summary>The accumulator's value before the first update.</summary>
    public double InitialAccumulatorValue { get; } = initialAccumulatorValue;

    /// <summary>ε.</summary>
    public double Epsilon { get; } = epsilon;

    /// <inheritdoc/>
    public DifferentiableState Init(IReadOnlyList<Tensor> parameters)
    {
        DifferentiableStepGuard.CheckInit(parameters);
        return DifferentiableState.Empty(parameters.Count, SumName);
    }

    /// <inheritdoc/>
    public (Tensor[] Parameters, DifferentiableState State) Step(IReadOnlyList<Tensor> parameters, IReadOnlyList<Tensor?> gradients, DifferentiableState state)
    {
        DifferentiableStepGuard.Check(parameters, gradients, state, SumName);
        Tensor?[] sums = [.. state.Buffer(SumName)];
        var (result, steps) = DifferentiableUpdate.Apply(parameters, gradients, state, (i, theta, g, t) =>
        {
            var d = WeightDecay != 0 ? g + (theta * WeightDecay) : g;

            // A null accumulator holds the initial value: the first update is s = s₀ + d².
            var s = sums[i] is { } previous ? previous + d.Square() : d.Square() + InitialAccumulatorValue;
            sums[i] = s;
            double rate = LearningRate / (1 + ((t - 1) * LearningRateDecay));
            return Functional.AddScaled(theta, d / (SafeRoot.Of(s) + Epsilon), -rate);
        });

        var named = new Dictionary<string, IReadOnlyList<Tensor?>>(StringComparer.Ordinal) { [SumName] = sums };
        return (result, new DifferentiableState(steps, named));
    }

    private static double Checked(double learningRate, double learningRateDecay, double weightDecay, double initialAccumulatorValue, double epsilon)
    {
        OptimizerChecks.NonNegative(learningRate, nameof(learningRate));
        OptimizerChecks.NonNegative(learningRateDecay, nameof(learningRateDecay));
        OptimizerChecks.NonNegative(weightDecay, nameof(weightDecay));
        OptimizerChecks.NonNegative(initialAccumulatorValue, nameof(initialAccumulatorValue));
        OptimizerChecks.Positive(epsilon, nameof(epsilon));
        return learningRate;
    }
}
