using MetaLearn.Tensors;

namespace MetaLearn.Optim;

/// <summary>
/// RMSprop (Tieleman &amp; Hinton, 2012) written with tensor operations, returning new tensors and a new state: PyTorch's
/// <c>torch.optim.RMSprop</c> update, differentiable through the gradients, the running average and the momentum, so an
/// inner loop can take RMSprop steps and the outer loop differentiate through them (as "higher" offers). Immutable, so one
/// instance serves every task of a meta-batch at once.
/// </summary>
/// <remarks>
/// <para>With d = g + λθ: v ← ρv + (1−ρ)d²; centered, also ḡ ← ρḡ + (1−ρ)d and a = √(v − ḡ²) + ε, else a = √v + ε; then
/// with momentum μ, b ← μb + d/a and θ ← θ − αb, else θ ← θ − α·d/a. The running averages start at zero, as PyTorch's.</para>
/// <para>Where v (centered: v − ḡ²) is exactly 0 (every gradient so far exactly 0) the root's derivative is taken as 0,
/// so second-order gradients stay finite and exact there (see <see cref="SafeRoot"/>); PyTorch gives NaN.</para>
/// </remarks>
/// <param name="learningRate">α, finite and non-negative.</param>
/// <param name="alpha">ρ, the smoothing constant, in [0, 1) (PyTorch's <c>alpha</c>, 0.99).</param>
/// <param name="epsilon">ε &gt; 0 (1e-8).</param>
/// <param name="weightDecay">λ ≥ 0: adds λθ to the gradient.</param>
/// <param name="momentum">μ ≥ 0 (0: none).</param>
/// <param name="centered">Whether to normalize by the estimated variance (v − ḡ²) instead of the second moment.</param>
public sealed class DifferentiableRmsProp(double learningRate = 1e-2, double alpha = 0.99, double epsilon = 1e-8, double weightDecay = 0,
    double momentum = 0, bool centered = false)
    : IDifferentiableOptimizer
{
    /// <summary>The name of the running average of squared gradients in <see cref="DifferentiableState"/> (PyTorch's).</summary>
    public const string SquareAverageName = "square_avg";

    /// <summary>The name of the running average of gradients (centered only) in <see cref="DifferentiableState"/> (PyTorch's).</summary>
    public const string GradientAverageName = "grad_avg";

    /// <summary>α.</summary>
    public double LearningRate { get; } = Checked(learningRate, alpha, epsilon, weightDecay, momentum);

    /// <summary>ρ.</summary>
    public double Alpha { get; } = alpha;

    /// <summary>ε.</summary>
    public double Epsilon { get; } = epsilon;

    /// <summary>λ.</summary>
    public double WeightDecay { get; } = weightDecay;

    /// <summary>μ.</summary>
    public double Momentum { get; } = momentum;

    /// <summary>Whether the update is normalized by the centered second moment.</summary>
    public bool Centered { get; } = centered;

    /// <inheritdoc/>
    public DifferentiableState Init(IReadOnlyList<Tensor> parameters)
    {
        DifferentiableStepGuard.CheckInit(parameters);
        return DifferentiableState.Empty(parameters.Count, BufferNames());
    }

    /// <inheritdoc/>
    public (Tensor[] Parameters, DifferentiableState State) Step(IReadOnlyList<Tensor> parameters, IReadOnlyList<Tensor?> gradients, DifferentiableState state)
    {
        var names = BufferNames();
        DifferentiableStepGuard.Check(parameters, gradients, state, names);
        Tensor?[] squares = [.. state.Buffer(SquareAverageName)];
        Tensor?[] means = Centered ? [.. state.Buffer(GradientAverageName)] : [];
        Tensor?[] buffers = Momentum != 0 ? [.. state.Buffer(Sgd.MomentumBufferName)] : [];
        var (result, steps) = DifferentiableUpdate.Apply(parameters, gradients, state, (i, theta, g, _) =>
        {
            var d = WeightDecay != 0 ? g + (theta * WeightDecay) : g;

            // Null averages are zero: the first update is v = (1−ρ)d² (and ḡ = (1−ρ)d).
            var scaledSquare = d.Square() * (1 - Alpha);
            var v = squares[i] is { } previousSquare ? (previousSquare * Alpha) + scaledSquare : scaledSquare;
            squares[i] = v;
            Tensor denominator;
            if (Centered)
            {
                var scaled = d * (1 - Alpha);
                var mean = means[i] is { } previousMean ? (previousMean * Alpha) + scaled : scaled;
                means[i] = mean;
                denominator = SafeRoot.Of(v - mean.Square()) + Epsilon;
            }
            else
            {
                denominator = SafeRoot.Of(v) + Epsilon;
            }

            var direction = d / denominator;
            if (Momentum != 0)
            {
                // b ← μb + d/a, with b = 0 before the first update (PyTorch's zero-initialized buffer).
                var b = buffers[i] is { } previous ? (previous * Momentum) + direction : direction;
                buffers[i] = b;
                direction = b;
            }

            return Functional.AddScaled(theta, direction, -LearningRate);
        });

        var named = new Dictionary<string, IReadOnlyList<Tensor?>>(StringComparer.Ordinal) { [SquareAverageName] = squares };
        if (Centered)
        {
            named[GradientAverageName] = means;
        }

        if (Momentum != 0)
        {
            named[Sgd.MomentumBufferName] = buffers;
        }

        return (result, new DifferentiableState(steps, named));
    }

    private string[] BufferNames()
        => [SquareAverageName, .. Centered ? new[] { GradientAverageName } : [], .. Momentum != 0 ? new[] { Sgd.MomentumBufferName } : []];

    private static double Checked(double learningRate, double alpha, double epsilon, double weightDecay, double momentum)
    {
        OptimizerChecks.NonNegative(learningRate, nameof(learningRate));
        OptimizerChecks.Beta(alpha, nameof(alpha));
        OptimizerChecks.Positive(epsilon, nameof(epsilon));
        OptimizerChecks.NonNegative(weightDecay, nameof(weightDecay));
        OptimizerChecks.NonNegative(momentum, nameof(momentum));
        return learningRate;
    }
}
