namespace MetaLearn.Testing;

/// <summary>
/// How a <see cref="LearningAssert"/> check meta-trains and measures: small, fixed-seed defaults that finish in about a
/// second on the tiny task families of <see cref="TinyTasks"/>.
/// </summary>
public sealed record LearningCheck
{
    /// <summary>Meta-training iterations (outer steps): 100 by default.</summary>
    public long Iterations { get; init; } = 100;

    /// <summary>Tasks per meta-iteration: 4 by default.</summary>
    public int MetaBatchSize { get; init; } = 4;

    /// <summary>Test tasks measured before and after meta-training: 100 by default.</summary>
    public int EvaluationTasks { get; init; } = 100;

    /// <summary>Adaptation steps a learner takes on each test task's support set before it is measured: 1 by default.</summary>
    public int AdaptationSteps { get; init; } = 1;

    /// <summary>Seed of the training task stream; the test tasks use <c>Seed + 1</c>. 1 by default.</summary>
    public ulong Seed { get; init; } = 1;
}
