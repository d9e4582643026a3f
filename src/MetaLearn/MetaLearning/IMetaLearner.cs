using MetaLearn.Data;
using MetaLearn.Tensors;

namespace MetaLearn.MetaLearning;

/// <summary>An algorithm that learns, across many tasks, how to learn a new one quickly.</summary>
public interface IMetaLearner
{
    /// <summary>Performs one meta-update from a meta-batch of tasks.</summary>
    /// <returns>The meta-loss before the update and which tasks, if any, were skipped as non-finite.</returns>
    /// <exception cref="NonFiniteTaskException">A task's loss or gradient is not finite and the policy is to throw; nothing changed.</exception>
    MetaStepResult MetaStep(IReadOnlyList<ITask> tasks);

    /// <summary>A learner starting from the current meta-learned state.</summary>
    ILearner CreateLearner();

    /// <summary>
    /// Copies of every tensor that defines the meta-learner's state (meta-parameters, buffers, learned step sizes, optimizer
    /// moments, step counters), by name: what a checkpoint must hold to resume a run exactly.
    /// </summary>
    IReadOnlyList<(string Name, Tensor Value)> ExportState();

    /// <summary>Restores a state from <see cref="ExportState"/>; every name and shape must match and every value be finite, or nothing is changed.</summary>
    /// <exception cref="ArgumentException">A tensor is missing, extra, of the wrong shape or dtype, or not finite; the message names it.</exception>
    void ImportState(IReadOnlyDictionary<string, Tensor> state);
}
