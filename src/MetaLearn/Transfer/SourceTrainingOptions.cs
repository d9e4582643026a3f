using MetaLearn.MetaLearning;
using MetaLearn.Optim;
using MetaLearn.Tensors;

namespace MetaLearn.Transfer;

/// <summary>Settings of <see cref="SourceTraining.Train"/>, each checked where it is set.</summary>
public sealed record SourceTrainingOptions
{
    /// <summary>Passes over the source examples; at least 1 (5).</summary>
    public int Epochs
    {
        get;
        init => field = OptionChecks.AtLeast(value, 1, nameof(Epochs));
    } = 5;

    /// <summary>Examples per optimizer step; at least 2 (64).</summary>
    public int BatchSize
    {
        get;
        init => field = OptionChecks.AtLeast(value, 2, nameof(BatchSize));
    } = 64;

    /// <summary>The learning rate of the default optimizer (Adam); finite and positive (0.001).</summary>
    public double LearningRate
    {
        get;
        init => field = OptionChecks.Positive(value, nameof(LearningRate));
    } = 0.001;

    /// <summary>
    /// Creates the optimizer over the model parameters it is given (in that order); null for Adam at <see cref="LearningRate"/>,
    /// as <see cref="MetaLearning.OuterLoopOptions.Optimizer"/> does for a meta-learner.
    /// </summary>
    public Func<IReadOnlyList<Tensor>, Optimizer>? Optimizer { get; init; }

    /// <summary>Creates the optimizer these options describe.</summary>
    internal Optimizer CreateOptimizer(IReadOnlyList<Tensor> parameters)
        => OptimizerChecks.Create(Optimizer, parameters, LearningRate, nameof(SourceTrainingOptions));

    /// <summary>The seed of the example order.</summary>
    public ulong Seed { get; init; }

    /// <summary>A wall-clock limit; training stops after the batch that passes it (none by default).</summary>
    public TimeSpan? TimeLimit { get; init; }
}
