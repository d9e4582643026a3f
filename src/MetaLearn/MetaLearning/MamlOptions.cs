namespace MetaLearn.MetaLearning;

/// <summary>Settings of <see cref="Maml"/>. Defaults follow Finn et al. (2017) for sine regression.</summary>
public sealed record MamlOptions
{
    /// <summary>α, the inner-loop SGD step size (0.01).</summary>
    public double InnerLearningRate { get; init; } = 0.01;

    /// <summary>Inner gradient steps per task during meta-training (1).</summary>
    public int InnerSteps { get; init; } = 1;

    /// <summary>
    /// First-order MAML: the inner gradients are treated as constants, so the meta-gradient is the query-loss gradient
    /// at the adapted weights, dropping the Hessian-vector term −α·H·∇L_query of the exact meta-gradient. Cheaper; less accurate.
    /// </summary>
    public bool FirstOrder { get; init; }

    /// <summary>β, the outer-loop Adam step size (0.001).</summary>
    public double MetaLearningRate { get; init; } = 0.001;

    /// <summary>Optional fixed step size per inner step (length = InnerSteps), overriding <see cref="InnerLearningRate"/>.</summary>
    public IReadOnlyList<double>? StepLearningRates { get; init; }

    /// <summary>
    /// Meta-SGD (Li et al., 2017): learn a step size per parameter element, initialized to <see cref="InnerLearningRate"/>,
    /// together with the initialization.
    /// </summary>
    public bool LearnInnerLearningRates { get; init; }

    /// <summary>
    /// ANIL (Raghu et al., 2020): adapt only the parameters whose names start with this prefix (e.g. the head), keeping the
    /// body fixed in the inner loop; null adapts all.
    /// </summary>
    public string? AdaptOnlyPrefix { get; init; }

    /// <summary>Tasks of a meta-batch processed at once (defaults to the processor count); results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Process the meta-batch as one graph (parameters expanded to [T, ...], inputs stacked to [T, N, ...]) instead of task
    /// by task. The meta-gradient is the same up to floating-point summation order; batching removes per-task overhead.
    /// </summary>
    public TaskBatching TaskBatching { get; init; } = TaskBatching.Auto;

    /// <summary>Inner steps used by learners created with <see cref="Maml.CreateLearner"/> when not told otherwise.</summary>
    public int TestSteps { get; init; } = 10;
}
