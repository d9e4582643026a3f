using MetaLearn.Tensors;

namespace MetaLearn.MetaLearning;

/// <summary>
/// One unit of a meta-batch, computed and checked (<see cref="MetaBatchExecutor.RunUnit"/>), before the units are combined
/// (<see cref="MetaBatchExecutor.Combine"/>): what a remote worker sends back.
/// </summary>
/// <param name="Loss">The mean loss of the unit's tasks used (0 when none was).</param>
/// <param name="TasksUsed">How many of its tasks contributed.</param>
/// <param name="Skipped">Its tasks left out as non-finite (indices in the whole meta-batch).</param>
/// <param name="Gradient">The mean gradient of its tasks used, one entry per meta-parameter, null where the unit contributes nothing.</param>
public sealed record MetaBatchUnit(double Loss, int TasksUsed, IReadOnlyList<int> Skipped, IReadOnlyList<Tensor?> Gradient);
