using MetaLearn.Optim;
using MetaLearn.Tensors;

namespace MetaLearn.MetaLearning;

/// <summary>Settings of a meta-learner's outer loop: its optimizer and schedule, gradient clipping, and what to do with non-finite tasks.</summary>
public sealed record OuterLoopOptions
{
    /// <summary>The outer learning rate, handed to the default optimizer (Adam); finite and non-negative. Default 0.001.</summary>
    public double LearningRate
    {
        get;
        init
        {
            if (!(value >= 0) || double.IsInfinity(value))
            {
                throw new ArgumentOutOfRangeException(nameof(LearningRate), value, "OuterLoopOptions.LearningRate must be finite and non-negative.");
            }

            field = value;
        }
    } = 0.001;

    /// <summary>
    /// Creates the outer optimizer over the meta-parameters it is given (in that order); null for Adam at
    /// <see cref="LearningRate"/>. Any <see cref="Optimizer"/> works, with parameter groups, a schedule set between steps
    /// through <see cref="GradientMetaLearner.OuterOptimizer"/>, or one of your own.
    /// </summary>
    public Func<IReadOnlyList<Tensor>, Optimizer>? Optimizer { get; init; }

    /// <summary>
    /// The outer learning rate as a function of the outer step count, applied by the meta-learner before every update;
    /// null keeps the optimizer's own rate. Prototypical networks halve it every 2000 episodes
    /// (<c>new StepLR(0.001, 2000, 0.5)</c>); Reptile anneals ε linearly to 0 (<c>new LinearDecay(1.0, 0, iterations)</c>).
    /// </summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>Rescale the meta-gradient to this L2 norm when it is larger (null: no clipping), as <see cref="GradientClipping"/> does; positive.</summary>
    public double? MaxGradientNorm
    {
        get;
        init
        {
            if (value is { } norm && (!(norm > 0) || double.IsInfinity(norm)))
            {
                throw new ArgumentOutOfRangeException(nameof(MaxGradientNorm), norm, "OuterLoopOptions.MaxGradientNorm must be finite and positive.");
            }

            field = value;
        }
    }

    /// <summary>What a meta-step does with a task whose loss or gradient is not finite (throw, by default).</summary>
    public NonFiniteTaskPolicy NonFiniteTasks
    {
        get;
        init => field = Enum.IsDefined(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(NonFiniteTasks), value, "OuterLoopOptions.NonFiniteTasks: unknown policy.");
    }

    /// <summary>
    /// Creates the executor that runs the meta-batches, given the meta-parameters and their names; null for the local
    /// <see cref="MetaBatchExecutor"/>. Another executor (MetaLearn.Orleans' cluster executor, say) runs the same learner's
    /// tasks elsewhere; the learner does not change.
    /// </summary>
    public Func<IReadOnlyList<Tensor>, IReadOnlyList<string>, IMetaBatchExecutor>? Executor { get; init; }

    /// <summary>Creates the optimizer these options describe.</summary>
    internal Optimizer CreateOptimizer(IReadOnlyList<Tensor> metaParameters)
        => OptimizerChecks.Create(Optimizer, metaParameters, LearningRate, nameof(OuterLoopOptions));
}
