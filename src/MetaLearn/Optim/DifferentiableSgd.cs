using MetaLearn.Tensors;

namespace MetaLearn.Optim;

/// <summary>
/// Gradient descent written with tensor operations, returning new tensors: θ' = θ − α·d with d = g (+ λθ, + momentum).
/// With gradients from <c>Autograd.Grad(..., createGraph: true)</c>, θ' is differentiable with respect to θ through g:
/// MAML's inner loop. Immutable, so one instance serves every task of a meta-batch at once.
/// </summary>
/// <remarks>
/// <para>Three ways to set the step size: one rate α for every step; a rate per step (<see cref="StepLearningRates"/>, as
/// MAML++ learns them, the step counted per parameter in the <see cref="DifferentiableState"/>, so a learner that adapts
/// again continues the schedule); or a learned rate tensor per parameter (Meta-SGD, Li et al. 2017: θ' = θ − α⊙g, with
/// α a meta-parameter that the outer loop trains, so the step is differentiable with respect to α too).</para>
/// <para>Momentum, Nesterov and L2 weight decay follow <see cref="Sgd"/> (PyTorch's semantics). A plain step is one node
/// (<see cref="Functional.AddScaled"/>), bit-identical to θ − g·α.</para>
/// </remarks>
public sealed class DifferentiableSgd : IDifferentiableOptimizer
{
    private readonly double[]? _stepRates;
    private readonly Tensor[]? _learnedRates;

    /// <summary>Creates the rule.</summary>
    /// <param name="learningRate">α, finite and non-negative.</param>
    /// <param name="momentum">μ, finite and non-negative (0: none).</param>
    /// <param name="nesterov">Nesterov momentum (needs μ &gt; 0).</param>
    /// <param name="weightDecay">λ, finite and non-negative: adds λθ to the gradient.</param>
    /// <exception cref="ArgumentOutOfRangeException">A coefficient is out of range; the message names it.</exception>
    /// <exception cref="ArgumentException">Nesterov without momentum.</exception>
    public DifferentiableSgd(double learningRate, double momentum = 0, bool nesterov = false, double weightDecay = 0)
    {
        OptimizerChecks.NonNegative(learningRate, nameof(learningRate));
        OptimizerChecks.NonNegative(momentum, nameof(momentum));
        OptimizerChecks.NonNegative(weightDecay, nameof(weightDecay));
        if (nesterov && momentum == 0)
        {
            throw new ArgumentException("DifferentiableSgd: Nesterov momentum needs momentum > 0.", nameof(nesterov));
        }

        LearningRate = learningRate;
        Momentum = momentum;
        Nesterov = nesterov;
        WeightDecay = weightDecay;
    }

    private DifferentiableSgd(DifferentiableSgd rule, double[]? stepRates, Tensor[]? learnedRates)
        : this(rule.LearningRate, rule.Momentum, rule.Nesterov, rule.WeightDecay)
    {
        _stepRates = stepRates;
        _learnedRates = learnedRates;
    }

    /// <summary>α, used where no per-step or learned rate applies.</summary>
    public double LearningRate { get; }

    /// <summary>μ.</summary>
    public double Momentum { get; }

    /// <summary>Whether the momentum is Nesterov's.</summary>
    public bool Nesterov { get; }

    /// <summary>λ.</summary>
    public double WeightDecay { get; }

    /// <summary>The rate of each step (step k of a parameter uses entry k; steps past the end use the last), or null.</summary>
    public IReadOnlyList<double>? StepLearningRates => _stepRates;

    /// <summary>Meta-SGD's rate tensor per parameter (scalar or the parameter's shape), or null.</summary>
    public IReadOnlyList<Tensor>? LearnedLearningRates => _learnedRates;

    /// <summary>The same rule with a rate per step instead of <see cref="LearningRate"/>.</summary>
    /// <exception cref="ArgumentException">The list is empty or a rate is negative or not finite (the message gives its index).</exception>
    public DifferentiableSgd WithStepLearningRates(IReadOnlyList<double> rates)
    {
        ArgumentNullException.ThrowIfNull(rates);
        if (rates.Count == 0)
        {
            throw new ArgumentException("DifferentiableSgd: the step learning rates are empty.", nameof(rates));
        }

        for (int i = 0; i < rates.Count; i++)
        {
            OptimizerChecks.NonNegative(rates[i], $"{nameof(rates)}[{i}]");
        }

        return new DifferentiableSgd(this, [.. rates], _learnedRates);
    }

    /// <summary>The same rule with a learned rate tensor per parameter (Meta-SGD) instead of <see cref="LearningRate"/>.</summary>
    /// <exception cref="ArgumentException">A rate tensor is null.</exception>
    public DifferentiableSgd WithLearnedLearningRates(IReadOnlyList<Tensor> rates)
    {
        ArgumentNullException.ThrowIfNull(rates);
        for (int i = 0; i < rates.Count; i++)
        {
            if (rates[i] is null)
            {
                throw new ArgumentException($"DifferentiableSgd: learned rate {i} is null.", nameof(rates));
            }
        }

        return new DifferentiableSgd(this, _stepRates, [.. rates]);
    }

    /// <inheritdoc/>
    public DifferentiableState Init(IReadOnlyList<Tensor> parameters)
    {
        DifferentiableStepGuard.CheckInit(parameters);
        if (_learnedRates is not null && _learnedRates.Length != parameters.Count)
        {
            throw new ArgumentException($"DifferentiableSgd: {_learnedRates.Length} learned rates for {parameters.Count} parameters.", nameof(parameters));
        }

        return Momentum != 0 ? DifferentiableState.Empty(parameters.Count, Sgd.MomentumBufferName) : DifferentiableState.Empty(parameters.Count);
    }

    /// <inheritdoc/>
    public (Tensor[] Parameters, DifferentiableState State) Step(IReadOnlyList<Tensor> parameters, IReadOnlyList<Tensor?> gradients, DifferentiableState state)
    {
        bool useMomentum = Momentum != 0;
        DifferentiableStepGuard.Check(parameters, gradients, state, useMomentum ? [Sgd.MomentumBufferName] : []);
        if (_learnedRates is not null && _learnedRates.Length != parameters.Count)
        {
            throw new ArgumentException($"DifferentiableSgd: {_learnedRates.Length} learned rates for {parameters.Count} parameters.", nameof(parameters));
        }

        var result = new Tensor[parameters.Count];
        var steps = new long[parameters.Count];
        var buffers = useMomentum ? [.. state.Buffer(Sgd.MomentumBufferName)] : Array.Empty<Tensor?>();
        for (int i = 0; i < result.Length; i++)
        {
            var theta = parameters[i];
            steps[i] = state.Steps[i];
            if (gradients[i] is not { } g)
            {
                result[i] = theta;
                continue;
            }

            long step = steps[i]++;
            var d = WeightDecay != 0 ? g + (theta * WeightDecay) : g;
            if (useMomentum)
            {
                // b ← μb + d, or b = d on the first update.
                var b = buffers[i] is { } previous ? (previous * Momentum) + d : d;
                buffers[i] = b;
                d = Nesterov ? d + (b * Momentum) : b;
            }

            result[i] = _learnedRates is not null
                ? theta - (_learnedRates[i] * d)
                : Functional.AddScaled(theta, d, -RateOf(step));
        }

        var named = new Dictionary<string, IReadOnlyList<Tensor?>>(StringComparer.Ordinal);
        if (useMomentum)
        {
            named[Sgd.MomentumBufferName] = buffers;
        }

        return (result, new DifferentiableState(steps, named));
    }

    private double RateOf(long step) => _stepRates is { } rates ? rates[(int)Math.Min(step, rates.Length - 1)] : LearningRate;
}
