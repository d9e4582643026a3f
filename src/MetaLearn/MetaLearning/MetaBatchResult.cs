using MetaLearn.Tensors;

namespace MetaLearn.MetaLearning;

/// <summary>The combined outcome of a meta-batch: the mean loss and mean gradient over the tasks used.</summary>
/// <param name="Loss">Mean loss over the tasks used (NaN when none was).</param>
/// <param name="Gradient">Mean gradient over the tasks used, one tensor per meta-parameter (zeros when none was). The caller owns these tensors.</param>
/// <param name="TasksUsed">How many tasks contributed.</param>
/// <param name="SkippedTasks">Tasks left out because a value was not finite (only under <see cref="NonFiniteTaskPolicy.SkipTask"/>).</param>
public sealed record MetaBatchResult(double Loss, IReadOnlyList<Tensor> Gradient, int TasksUsed, IReadOnlyList<int> SkippedTasks);
