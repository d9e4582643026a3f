namespace MetaLearn.MetaLearning;

/// <summary>What one meta-update did.</summary>
/// <param name="Loss">The meta-loss before the update: the mean query loss of the tasks used (NaN when every task was skipped).</param>
/// <param name="TasksUsed">How many tasks contributed to the update.</param>
/// <param name="SkippedTasks">The indices, within the meta-batch, of tasks skipped because their loss or gradient was not finite.</param>
/// <param name="GradientNorm">The L2 norm of the meta-gradient before any clipping (NaN when no update was made).</param>
public sealed record MetaStepResult(double Loss, int TasksUsed, IReadOnlyList<int> SkippedTasks, double GradientNorm)
{
    /// <summary>Whether the meta-parameters were updated (at least one task was used).</summary>
    public bool Updated => TasksUsed > 0;
}
