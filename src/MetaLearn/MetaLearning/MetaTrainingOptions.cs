namespace MetaLearn.MetaLearning;

/// <summary>Settings of a <see cref="MetaTrainer"/> run.</summary>
public sealed record MetaTrainingOptions
{
    /// <summary>Meta-iterations (meta-batches) to run in total.</summary>
    public long Iterations { get; init; } = 1000;

    /// <summary>Tasks per meta-batch.</summary>
    public int MetaBatchSize { get; init; } = 25;

    /// <summary>Seed of the task sampler (and of everything else the trainer draws).</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Validate every this many iterations (0: never).</summary>
    public long ValidationInterval { get; init; }

    /// <summary>Validation tasks per validation (the same tasks every time).</summary>
    public int ValidationTasks { get; init; } = 100;

    /// <summary>Adaptation steps before scoring a validation task.</summary>
    public int ValidationSteps { get; init; } = 1;

    /// <summary>
    /// Stop after this many validations without improvement and restore the best meta-parameters (0: never stop early;
    /// the best state is still restored at the end when validating).
    /// </summary>
    public int EarlyStoppingPatience { get; init; }

    /// <summary>Where to write checkpoints (a .safetensors file, written atomically); null for none.</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>Write a checkpoint every this many iterations (and at the end) when <see cref="CheckpointPath"/> is set.</summary>
    public long CheckpointInterval { get; init; } = 100;

    /// <summary>Continue from the checkpoint at <see cref="CheckpointPath"/> when it exists.</summary>
    public bool Resume { get; init; }

    /// <summary>Progress reports every this many iterations (validations are always reported).</summary>
    public long ProgressInterval { get; init; } = 10;
}
