using MetaLearn.Data;
using MetaLearn.Tensors;

namespace MetaLearn.MetaLearning;

/// <summary>An algorithm that learns, across many tasks, how to adapt quickly to a new one.</summary>
public interface IMetaLearner
{
    /// <summary>Performs one meta-update from a meta-batch of tasks and returns the meta-loss (mean query loss) before the update.</summary>
    double MetaStep(IReadOnlyList<ITask> tasks);

    /// <summary>A learner starting from the current meta-learned state.</summary>
    ILearner CreateLearner();

    /// <summary>
    /// Copies of every tensor that defines the meta-learner's state (meta-parameters, optimizer moments, step counters),
    /// by name: what a checkpoint must hold to resume a run exactly.
    /// </summary>
    IReadOnlyList<(string Name, Tensor Value)> ExportState();

    /// <summary>Restores a state from <see cref="ExportState"/>; every name and shape must match, or nothing is changed.</summary>
    /// <exception cref="ArgumentException">A tensor is missing, extra, or of the wrong shape or dtype.</exception>
    void ImportState(IReadOnlyDictionary<string, Tensor> state);
}
