using MetaLearn.Optim;

namespace MetaLearn.MetaLearning;

/// <summary>Settings of <see cref="Maml"/>, each checked where it is set. Defaults follow Finn et al. (2017) for sine regression.</summary>
public sealed record MamlOptions
{
    /// <summary>α, the inner-loop SGD step size; finite and non-negative (0.01).</summary>
    public double InnerLearningRate
    {
        get;
        init => field = OptionChecks.NonNegative(value, nameof(InnerLearningRate));
    } = 0.01;

    /// <summary>Inner gradient steps per task during meta-training; non-negative (1).</summary>
    public int InnerSteps
    {
        get;
        init => field = OptionChecks.NonNegative(value, nameof(InnerSteps));
    } = 1;

    /// <summary>
    /// First-order MAML: the inner gradients are treated as constants, so the meta-gradient is the query-loss gradient
    /// at the adapted weights, dropping the Hessian-vector term −α·H·∇L_query of the exact meta-gradient. Cheaper; less accurate.
    /// </summary>
    public bool FirstOrder { get; init; }

    /// <summary>
    /// A fixed step size per inner step (step k uses entry k; later steps, at test time, use the last), overriding
    /// <see cref="InnerLearningRate"/>; each finite and non-negative, and at least <see cref="InnerSteps"/> of them.
    /// </summary>
    public IReadOnlyList<double>? StepLearningRates
    {
        get;
        init => field = value is null ? null : OptionChecks.Rates(value, nameof(StepLearningRates));
    }

    /// <summary>
    /// Meta-SGD (Li et al., 2017): learn a step size per element of each adapted parameter, initialized to
    /// <see cref="InnerLearningRate"/>, together with the initialization.
    /// </summary>
    public bool LearnInnerLearningRates { get; init; }

    /// <summary>
    /// The inner-loop update rule; null for plain SGD at <see cref="InnerLearningRate"/> (or <see cref="StepLearningRates"/>).
    /// Any <see cref="IDifferentiableOptimizer"/> works (<see cref="DifferentiableSgd"/> with momentum, <see cref="DifferentiableAdam"/>).
    /// </summary>
    public IDifferentiableOptimizer? InnerOptimizer { get; init; }

    /// <summary>The model parameters the outer loop trains; the rest stay as they are (all by default).</summary>
    public ParameterSelection Trained
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Trained));
    } = ParameterSelection.All;

    /// <summary>
    /// The model parameters the inner loop adapts (all by default). ANIL (Raghu et al., 2020) adapts only the head:
    /// <c>ParameterSelection.WithPrefix("head.")</c>.
    /// </summary>
    public ParameterSelection Adapted
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Adapted));
    } = ParameterSelection.All;

    /// <summary>A penalty on the adapted weights added to the support loss (L2-SP toward the initialization, say), or null.</summary>
    public ParameterPenalty? InnerPenalty { get; init; }

    /// <summary>
    /// Process the meta-batch as one graph (parameters expanded to [T, ...], inputs stacked to [T, N, ...]) instead of task
    /// by task. The meta-gradient is the same up to floating-point summation order; batching removes per-task overhead.
    /// </summary>
    public TaskBatching TaskBatching
    {
        get;
        init => field = Enum.IsDefined(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(TaskBatching), value, "MamlOptions.TaskBatching: unknown value.");
    }

    /// <summary>
    /// With task batching, how many graphs (units of consecutive tasks, run in parallel) a meta-batch is cut into; null
    /// for one per processor of this machine, each of at least four tasks. Results depend on the cut but never on the
    /// thread count; at least 1.
    /// </summary>
    public int? BatchedUnits
    {
        get;
        init => field = value is { } units ? OptionChecks.AtLeast(units, 1, nameof(BatchedUnits)) : null;
    }

    /// <summary>The outer loop: Adam at 0.001 by default, optional clipping, and the non-finite-task policy.</summary>
    public OuterLoopOptions Outer
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Outer));
    } = new();
}
