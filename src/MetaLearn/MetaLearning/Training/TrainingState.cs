using MetaLearn.Tensors;

namespace MetaLearn.MetaLearning;

/// <summary>The trainer's own state, which a checkpoint holds beside the meta-learner's.</summary>
internal sealed class TrainingState(Generator generator)
{
    public Generator Generator { get; } = generator;

    public long Iteration { get; set; }

    public double? BestValidation { get; set; }

    public long? BestIteration { get; set; }

    public int ValidationsWithoutImprovement { get; set; }

    public long SkippedTasks { get; set; }

    public IReadOnlyList<(string Name, Tensor Value)>? BestState { get; set; }
}
