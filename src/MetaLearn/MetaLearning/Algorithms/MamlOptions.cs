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
    /// Second-order MAML in memory that grows with one inner step instead of with <see cref="InnerSteps"/>: each inner step
    /// is checkpointed (<see cref="InnerLoop.CheckpointSteps"/>), so only the weights between steps are kept and a step's
    /// forward pass and inner gradient are run again when the meta-gradient reaches it (1.1x to 1.6x the time on the
    /// Omniglot conv net, see benchmarks/README.md). The meta-gradient is bit-identical to the unchecked one when every
    /// weight is adapted by a rule without learned rates; tensors read by several steps (learned rates, weights not adapted,
    /// per-step batch-norm copies) get theirs to rounding. No effect on first-order MAML. Refused for a model with dropout
    /// in training mode or batch norm with running statistics.
    /// </summary>
    public bool CheckpointInnerSteps { get; init; }

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
    /// Meta-Curvature (Park &amp; Oliva, NeurIPS 2019): learn matrices that transform each adapted parameter's inner gradient
    /// before the step, θ' = θ − α·MC(∇L(θ)) with MC(G) = G ×₁ M_o ×₂ M_i ×₃ M_f (see <see cref="CurvatureMatrices"/>: an
    /// O×O matrix on the output axis, an I×I one on the input axis and an F×F one on the flattened kernel window; a bias gets
    /// a full O×O matrix). The matrices start as identities, so training starts from plain MAML, and are meta-trained with
    /// the initialization (second order through the step unless <see cref="FirstOrder"/>). They wrap whatever rule the other
    /// options choose (SGD, Meta-SGD's rates, <see cref="InnerOptimizer"/>): the gradient is transformed, then stepped.
    /// </summary>
    public bool MetaCurvature { get; init; }

    /// <summary>
    /// MAML++'s learned per-layer per-step inner rates (LSLR, Antoniou, Edwards &amp; Storkey 2019): a scalar rate for each
    /// adapted parameter tensor and each of the <see cref="InnerSteps"/> steps, initialized to <see cref="InnerLearningRate"/>
    /// and meta-trained with the initialization (steps past <see cref="InnerSteps"/>, at test time, use the last step's
    /// rates). Needs <see cref="InnerSteps"/> ≥ 1; excludes <see cref="LearnInnerLearningRates"/>,
    /// <see cref="StepLearningRates"/> and <see cref="InnerOptimizer"/>.
    /// </summary>
    public bool LearnPerStepLearningRates { get; init; }

    /// <summary>
    /// MAML++'s per-step batch-norm weights and biases (BNWB): a separate copy of every batch-norm weight and bias for
    /// each inner step, initialized from the model's and meta-trained. Inner step k and the query forward after it use
    /// step k's copy (a learner adapting for more steps than <see cref="InnerSteps"/> uses the last copy after that);
    /// batch-norm parameters are then not adapted in the inner loop, and the model's own are left as they are. The model
    /// must contain a <see cref="NN.BatchNorm"/>; needs <see cref="InnerSteps"/> ≥ 1.
    /// </summary>
    /// <remarks>
    /// Only the affine parameters are per step. MAML++ also keeps per-step running statistics; the library's batch norm
    /// normalizes with batch statistics by default (<see cref="NN.BatchNormStatistics.Batch"/>), which need none. A model
    /// built with running statistics shares one set across the steps.
    /// </remarks>
    public bool PerStepBatchNormWeights { get; init; }

    /// <summary>
    /// MAML++'s multi-step loss (MSL): for the first this many outer iterations the meta-objective is Σₖ wₖ·L_query(θₖ),
    /// the query loss after every inner step k = 1..K weighted, with weights uniform (1/K) at iteration 0 and annealed
    /// linearly toward the last step (see <see cref="MultiStepLoss.Weights"/>); from then on the query loss after the last
    /// step alone, as in the paper's code. The iteration is the outer optimizer's step count, which checkpoints save, so a
    /// resumed run continues the schedule. Null (the default) for the last step's loss throughout; non-negative.
    /// </summary>
    public long? MultiStepLossIterations
    {
        get;
        init => field = value is { } iterations ? OptionChecks.AtLeast(iterations, 0, nameof(MultiStepLossIterations)) : null;
    }

    /// <summary>
    /// MAML++'s derivative-order annealing: first-order meta-gradients for the first this many outer iterations (the
    /// outer optimizer's checkpointed step count), second-order ones after. Null (the default) for
    /// <see cref="FirstOrder"/> throughout; non-negative; cannot be combined with <see cref="FirstOrder"/>.
    /// </summary>
    public long? FirstOrderIterations
    {
        get;
        init => field = value is { } iterations ? OptionChecks.AtLeast(iterations, 0, nameof(FirstOrderIterations)) : null;
    }

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
    /// by task. The meta-gradient is the same up to floating-point summation order when the loss averages over examples;
    /// batching removes per-task overhead. <see cref="TaskBatching.Never"/> by default: the caller, who knows the loss,
    /// opts in with <see cref="TaskBatching.Auto"/> or <see cref="TaskBatching.Always"/>.
    /// </summary>
    public TaskBatching TaskBatching
    {
        get;
        init => field = Enum.IsDefined(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(TaskBatching), value, "MamlOptions.TaskBatching: unknown value.");
    } = TaskBatching.Never;

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
