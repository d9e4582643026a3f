using MetaLearn.Optim;

namespace MetaLearn.MetaLearning;

/// <summary>Settings of <see cref="Reptile"/>, each checked where it is set. Defaults follow Nichol et al. (2018) for sine regression.</summary>
public sealed record ReptileOptions
{
    /// <summary>k, the inner SGD steps per task; at least 1 (5).</summary>
    public int InnerSteps
    {
        get;
        init => field = OptionChecks.AtLeast(value, 1, nameof(InnerSteps));
    } = 5;

    /// <summary>The inner step size of the default SGD rule; finite and positive (0.02).</summary>
    public double InnerLearningRate
    {
        get;
        init => field = OptionChecks.Positive(value, nameof(InnerLearningRate));
    } = 0.02;

    /// <summary>The inner update rule; null for plain SGD at <see cref="InnerLearningRate"/> (the paper also uses Adam:
    /// <see cref="DifferentiableAdam"/>).</summary>
    public IDifferentiableOptimizer? InnerOptimizer { get; init; }

    /// <summary>
    /// ε, the default outer SGD's learning rate; finite and non-negative (1.0). Nichol et al. anneal it linearly to 0 over
    /// the run: <c>Outer = new OuterLoopOptions { Schedule = new LinearDecay(ε, 0, iterations) }</c>.
    /// </summary>
    public double OuterStepSize
    {
        get;
        init => field = OptionChecks.NonNegative(value, nameof(OuterStepSize));
    } = 1.0;

    /// <summary>Train the inner loop on support and query together (the paper's choice for regression).</summary>
    public bool IncludeQueryInInnerLoop { get; init; }

    /// <summary>The model parameters Reptile adapts and moves; the rest stay as they are (all by default).</summary>
    public ParameterSelection Trained
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Trained));
    } = ParameterSelection.All;

    /// <summary>A penalty on the weights added to the inner loss, or null.</summary>
    public ParameterPenalty? InnerPenalty { get; init; }

    /// <summary>
    /// The outer loop. Its optimizer receives the mean of θ − φᵢ as the gradient, so the default plain SGD at
    /// <see cref="OuterStepSize"/> gives the paper's update θ ← θ + ε·meanᵢ(φᵢ − θ); its <see cref="OuterLoopOptions.Schedule"/>
    /// anneals ε. Null <see cref="OuterLoopOptions.Optimizer"/> means that SGD.
    /// </summary>
    public OuterLoopOptions Outer
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Outer));
    } = new();
}
