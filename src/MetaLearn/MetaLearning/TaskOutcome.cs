using MetaLearn.Tensors;

namespace MetaLearn.MetaLearning;

/// <summary>
/// What one unit of a meta-batch produced: its mean loss and its mean gradient with respect to the meta-parameters (one
/// entry per meta-parameter; null where the unit contributes nothing). A unit is one task, or several tasks processed as
/// one graph (<see cref="MetaBatchExecutor.Run(int, int, Func{int, int, TaskOutcome}, Func{int, TaskOutcome}?, NonFiniteTaskPolicy)"/>).
/// </summary>
/// <param name="Loss">The unit's loss (for several tasks, their mean).</param>
/// <param name="Gradient">The unit's gradient (for several tasks, their mean), shaped like the meta-parameters.</param>
public sealed record TaskOutcome(double Loss, IReadOnlyList<Tensor?> Gradient);
