namespace MetaLearn.MetaLearning;

/// <summary>Settings of a <see cref="MetaTrainer"/> run, each checked where it is set.</summary>
public sealed record MetaTrainingOptions
{
    /// <summary>Meta-iterations (meta-batches) to run in total; non-negative.</summary>
    public long Iterations
    {
        get;
        init => field = OptionChecks.AtLeast(value, 0, nameof(Iterations));
    } = 1000;

    /// <summary>Tasks per meta-batch; at least 1.</summary>
    public int MetaBatchSize
    {
        get;
        init => field = OptionChecks.AtLeast(value, 1, nameof(MetaBatchSize));
    } = 25;

    /// <summary>Seed of the task sampler (and of everything else the trainer draws).</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Validate every this many iterations (0: never); non-negative.</summary>
    public long ValidationInterval
    {
        get;
        init => field = OptionChecks.AtLeast(value, 0, nameof(ValidationInterval));
    }

    /// <summary>Validation tasks per validation (the same tasks every time); at least 2.</summary>
    public int ValidationTasks
    {
        get;
        init => field = OptionChecks.AtLeast(value, 2, nameof(ValidationTasks));
    } = 100;

    /// <summary>Adaptation steps before scoring a validation task; non-negative.</summary>
    public int ValidationSteps
    {
        get;
        init => field = OptionChecks.AtLeast(value, 0, nameof(ValidationSteps));
    } = 1;

    /// <summary>
    /// Stop after this many validations without improvement and restore the best meta-parameters (0: never stop early;
    /// the best state is still restored at the end when validating); non-negative.
    /// </summary>
    public int EarlyStoppingPatience
    {
        get;
        init => field = OptionChecks.AtLeast(value, 0, nameof(EarlyStoppingPatience));
    }

    /// <summary>The validation figure the best state is kept by and early stopping watches (the loss by default).</summary>
    public ValidationMetric SelectBy
    {
        get;
        init => field = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(SelectBy), value, "MetaTrainingOptions.SelectBy: unknown metric.");
    }

    /// <summary>
    /// Where to write checkpoints (a .safetensors file, written atomically); null for none. The best state so far is also
    /// written apart, to <see cref="MetaTrainer.BestCheckpointPath"/> of this path, whenever validation improves.
    /// </summary>
    public string? CheckpointPath { get; init; }

    /// <summary>Write a checkpoint every this many iterations (and at the end) when <see cref="CheckpointPath"/> is set; at least 1.</summary>
    public long CheckpointInterval
    {
        get;
        init => field = OptionChecks.AtLeast(value, 1, nameof(CheckpointInterval));
    } = 100;

    /// <summary>Continue from the checkpoint at <see cref="CheckpointPath"/> when it exists.</summary>
    public bool Resume { get; init; }

    /// <summary>Progress reports every this many iterations (validations are always reported); at least 1.</summary>
    public long ProgressInterval
    {
        get;
        init => field = OptionChecks.AtLeast(value, 1, nameof(ProgressInterval));
    } = 10;
}
