using MetaLearn.Tensors;

namespace MetaLearn.Optim;

/// <summary>
/// Gradient descent written with tensor operations, returning new tensors: θ' = θ − α·d with d = g (+ λθ, + momentum).
/// With gradients from <c>Autograd.Grad(..., createGraph: true)</c>, θ' is differentiable with respect to θ through g:
/// MAML's inner loop. Immutable, so one instance serves every task of a meta-batch at once.
/// </summary>
/// <remarks>
/// <para>Four ways to set the step size: one rate α for every step; a fixed rate per step (<see cref="StepLearningRates"/>,
/// the step counted per parameter in the <see cref="DifferentiableState"/>, so a learner that adapts again continues the
/// schedule); a learned rate tensor per parameter (Meta-SGD, Li et al. 2017: θ' = θ − α⊙g, with α a meta-parameter that
/// the outer loop trains, so the step is differentiable with respect to α too); or a learned scalar rate per parameter
/// and per step (<see cref="LearnedStepLearningRates"/>, MAML++'s LSLR, Antoniou et al. 2019: θₖ₊₁ = θₖ − αₖ,ᵢ·g, the
/// step counted per parameter as for the fixed per-step rates).</para>
/// <para>Momentum, Nesterov and L2 weight decay follow <see cref="Sgd"/> (PyTorch's semantics). A plain step is one node
/// (<see cref="Functional.AddScaled"/>), bit-identical to θ − g·α.</para>
/// </remarks>
public sealed class DifferentiableSgd : IDifferentiableOptimizer
{
    private readonly double[]? _stepRates;
    private readonly Tensor[]? _learnedRates;
    private readonly Tensor?[][]? _learnedStepRates;

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

    private DifferentiableSgd(DifferentiableSgd rule, double[]? stepRates, Tensor[]? learnedRates, Tensor?[][]? learnedStepRates)
        : this(rule.LearningRate, rule.Momentum, rule.Nesterov, rule.WeightDecay)
    {
        _stepRates = stepRates;
        _learnedRates = learnedRates;
        _learnedStepRates = learnedStepRates;
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

    /// <summary>
    /// The learned scalar rate of each step and parameter (entry [k][i] for step k of parameter i; steps past the end use
    /// the last; a null entry falls back to the fixed rate), or null.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<Tensor?>>? LearnedStepLearningRates => _learnedStepRates;

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

        return new DifferentiableSgd(this, [.. rates], _learnedRates, _learnedStepRates);
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

        if (_learnedStepRates is not null)
        {
            throw new InvalidOperationException("DifferentiableSgd: the rule already has learned per-step rates; a rule takes one kind of learned rate.");
        }

        return new DifferentiableSgd(this, _stepRates, [.. rates], null);
    }

    /// <summary>
    /// The same rule with a learned scalar rate per step and parameter (MAML++'s LSLR): step k of parameter i uses
    /// <paramref name="rates"/>[k][i] (steps past the end use the last list), so the update is differentiable with respect
    /// to the rate. A null entry falls back to the fixed rate, for parameters that are never stepped.
    /// </summary>
    /// <param name="rates">One list per step, each with one scalar (shape []) rate tensor or null per parameter.</param>
    /// <exception cref="ArgumentException">No steps, lists of different lengths, or a rate that is not a scalar.</exception>
    /// <exception cref="InvalidOperationException">The rule already has Meta-SGD's learned rate tensors.</exception>
    public DifferentiableSgd WithLearnedStepLearningRates(IReadOnlyList<IReadOnlyList<Tensor?>> rates)
    {
        ArgumentNullException.ThrowIfNull(rates);
        if (rates.Count == 0)
        {
            throw new ArgumentException("DifferentiableSgd: the learned step rates have no steps.", nameof(rates));
        }

        var copy = new Tensor?[rates.Count][];
        for (int k = 0; k < rates.Count; k++)
        {
            var step = rates[k] ?? throw new ArgumentException($"DifferentiableSgd: the learned rates of step {k} are null.", nameof(rates));
            if (step.Count != rates[0].Count)
            {
                throw new ArgumentException($"DifferentiableSgd: step {k} has {step.Count} learned rates; step 0 has {rates[0].Count}.", nameof(rates));
            }

            for (int i = 0; i < step.Count; i++)
            {
                if (step[i] is { Rank: not 0 } rate)
                {
                    throw new ArgumentException($"DifferentiableSgd: the learned rate of step {k}, parameter {i} has shape "
                        + $"{Shapes.Format(rate.Shape)}; it must be a scalar.", nameof(rates));
                }
            }

            copy[k] = [.. step];
        }

        if (_learnedRates is not null)
        {
            throw new InvalidOperationException("DifferentiableSgd: the rule already has Meta-SGD's learned rates; a rule takes one kind of learned rate.");
        }

        return new DifferentiableSgd(this, _stepRates, null, copy);
    }

    /// <inheritdoc/>
    public DifferentiableState Init(IReadOnlyList<Tensor> parameters)
    {
        DifferentiableStepGuard.CheckInit(parameters);
        CheckLearnedCounts(parameters.Count, nameof(parameters));
        return Momentum != 0 ? DifferentiableState.Empty(parameters.Count, Sgd.MomentumBufferName) : DifferentiableState.Empty(parameters.Count);
    }

    /// <inheritdoc/>
    public (Tensor[] Parameters, DifferentiableState State) Step(IReadOnlyList<Tensor> parameters, IReadOnlyList<Tensor?> gradients, DifferentiableState state)
    {
        bool useMomentum = Momentum != 0;
        DifferentiableStepGuard.Check(parameters, gradients, state, useMomentum ? [Sgd.MomentumBufferName] : []);
        CheckLearnedCounts(parameters.Count, nameof(parameters));
        var buffers = useMomentum ? [.. state.Buffer(Sgd.MomentumBufferName)] : Array.Empty<Tensor?>();
        var (result, steps) = DifferentiableUpdate.Apply(parameters, gradients, state, (i, theta, g, count) =>
        {
            long step = count - 1;
            var d = WeightDecay != 0 ? g + (theta * WeightDecay) : g;
            if (useMomentum)
            {
                // b ← μb + d, or b = d on the first update.
                var b = buffers[i] is { } previous ? (previous * Momentum) + d : d;
                buffers[i] = b;
                d = Nesterov ? d + (b * Momentum) : b;
            }

            if (_learnedRates is not null)
            {
                return theta - (_learnedRates[i] * d);
            }

            return _learnedStepRates?[(int)Math.Min(step, _learnedStepRates.Length - 1)][i] is { } rate
                ? theta - (rate * d)
                : Functional.AddScaled(theta, d, -RateOf(step));
        });

        var named = new Dictionary<string, IReadOnlyList<Tensor?>>(StringComparer.Ordinal);
        if (useMomentum)
        {
            named[Sgd.MomentumBufferName] = buffers;
        }

        return (result, new DifferentiableState(steps, named));
    }

    private void CheckLearnedCounts(int count, string paramName)
    {
        if (_learnedRates is not null && _learnedRates.Length != count)
        {
            throw new ArgumentException($"DifferentiableSgd: {_learnedRates.Length} learned rates for {count} parameters.", paramName);
        }

        if (_learnedStepRates is not null && _learnedStepRates[0].Length != count)
        {
            throw new ArgumentException($"DifferentiableSgd: {_learnedStepRates[0].Length} learned rates per step for {count} parameters.", paramName);
        }
    }

    private double RateOf(long step) => _stepRates is { } rates ? rates[(int)Math.Min(step, rates.Length - 1)] : LearningRate;
}
