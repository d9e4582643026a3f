namespace MetaLearn.MetaLearning;

/// <summary>The optimizer Reptile runs on each task.</summary>
public enum InnerOptimizerKind
{
    /// <summary>Plain gradient descent.</summary>
    Sgd,

    /// <summary>Adam, started fresh on every task (as in Nichol et al.'s experiments).</summary>
    Adam,
}

/// <summary>Settings of <see cref="Reptile"/> (Nichol, Achiam &amp; Schulman, 2018).</summary>
public sealed record ReptileOptions
{
    /// <summary>k, inner optimizer steps per task (5).</summary>
    public int InnerSteps { get; init; } = 5;

    /// <summary>Inner step size (0.02 for SGD on sine; use ~0.001 with Adam).</summary>
    public double InnerLearningRate { get; init; } = 0.02;

    /// <summary>The inner optimizer.</summary>
    public InnerOptimizerKind InnerOptimizer { get; init; } = InnerOptimizerKind.Sgd;

    /// <summary>ε at the first meta-iteration (1.0).</summary>
    public double OuterStepSize { get; init; } = 1.0;

    /// <summary>ε after <see cref="AnnealIterations"/> meta-iterations, reached linearly; equal to <see cref="OuterStepSize"/> for a constant ε.</summary>
    public double FinalOuterStepSize { get; init; } = 1.0;

    /// <summary>Meta-iterations over which ε is annealed (ignored when the two step sizes are equal).</summary>
    public long AnnealIterations { get; init; } = 1;

    /// <summary>
    /// Serial Reptile updates θ after each task in turn (θ ← θ + ε(φᵢ − θ)); batched Reptile (the default) averages the
    /// task updates of a meta-batch, θ ← θ + ε·meanᵢ(φᵢ − θ), and can run the tasks in parallel.
    /// </summary>
    public bool Serial { get; init; }

    /// <summary>Train the inner loop on support and query examples together (Reptile has no query loss of its own).</summary>
    public bool IncludeQueryInInnerLoop { get; init; }

    /// <summary>Tasks processed at once in batched mode; results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;
}
