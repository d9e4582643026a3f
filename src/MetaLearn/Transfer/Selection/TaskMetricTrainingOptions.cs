using MetaLearn.MetaLearning;
using MetaLearn.Optim;
using MetaLearn.Tensors;

namespace MetaLearn.Transfer.Selection;

/// <summary>Settings of <see cref="SiameseTaskMetric.Train"/>, each checked where it is set.</summary>
public sealed record TaskMetricTrainingOptions
{
    /// <summary>Passes over the pairs; at least 1 (200).</summary>
    public int Epochs
    {
        get;
        init => field = OptionChecks.AtLeast(value, 1, nameof(Epochs));
    } = 200;

    /// <summary>Pairs per optimizer step; at least 1 (32).</summary>
    public int BatchSize
    {
        get;
        init => field = OptionChecks.AtLeast(value, 1, nameof(BatchSize));
    } = 32;

    /// <summary>The learning rate of the default optimizer (Adam); finite and positive (0.003).</summary>
    public double LearningRate
    {
        get;
        init => field = OptionChecks.Positive(value, nameof(LearningRate));
    } = 0.003;

    /// <summary>The contrastive margin: dissimilar tasks are pushed at least this far apart; finite and positive (1).</summary>
    public double Margin
    {
        get;
        init => field = OptionChecks.Positive(value, nameof(Margin));
    } = 1;

    /// <summary>
    /// Creates the optimizer over the metric's parameters it is given (in that order); null for Adam at <see cref="LearningRate"/>,
    /// as <see cref="MetaLearning.OuterLoopOptions.Optimizer"/> does for a meta-learner.
    /// </summary>
    public Func<IReadOnlyList<Tensor>, Optimizer>? Optimizer { get; init; }

    /// <summary>Creates the optimizer these options describe.</summary>
    internal Optimizer CreateOptimizer(IReadOnlyList<Tensor> parameters)
        => OptimizerChecks.Create(Optimizer, parameters, LearningRate, nameof(TaskMetricTrainingOptions));

    /// <summary>The seed of the pair order.</summary>
    public ulong Seed { get; init; }
}
