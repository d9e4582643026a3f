using MetaLearn.Data;

namespace MetaLearn.MetaLearning;

/// <summary>
/// One meta-batch as a learner hands it to an <see cref="IMetaBatchExecutor"/>: the tasks, how they are cut into units
/// (unit u holds tasks [T·u/U, T·(u+1)/U)), how a unit and a single task are computed, and the non-finite policy.
/// </summary>
public sealed class MetaBatchWork
{
    /// <summary>Describes a meta-batch.</summary>
    /// <param name="tasks">The tasks (at least one).</param>
    /// <param name="units">How many units, between 1 and the task count; fix it from the tasks, never from the thread count.</param>
    /// <param name="runUnit">
    /// Computes the mean loss and mean gradient of the tasks [first, first + count), by their indices in
    /// <paramref name="tasks"/> plus <paramref name="firstIndex"/>.
    /// </param>
    /// <param name="runTask">Computes one task alone (to find a non-finite task of a unit of several); null to skip the whole unit instead.</param>
    /// <param name="policy">What to do with a non-finite loss or gradient.</param>
    /// <param name="firstIndex">The index of <paramref name="tasks"/>[0] in the whole meta-batch (non-zero when a worker runs a slice of it).</param>
    /// <param name="outerStep">The learner's outer step when it planned the work (see <see cref="OuterStep"/>).</param>
    /// <exception cref="ArgumentException">No tasks, or the unit count is out of range.</exception>
    public MetaBatchWork(
        IReadOnlyList<ITask> tasks,
        int units,
        Func<int, int, TaskOutcome> runUnit,
        Func<int, TaskOutcome>? runTask,
        NonFiniteTaskPolicy policy,
        int firstIndex = 0,
        long outerStep = 0)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(runUnit);
        if (tasks.Count == 0)
        {
            throw new ArgumentException("MetaBatchWork: the meta-batch has no task.", nameof(tasks));
        }

        if (units < 1 || units > tasks.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(units), units, $"MetaBatchWork: the unit count must be between 1 and the task count {tasks.Count}.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(firstIndex);
        ArgumentOutOfRangeException.ThrowIfNegative(outerStep);
        Tasks = tasks;
        Units = units;
        RunUnit = runUnit;
        RunTask = runTask;
        Policy = Enum.IsDefined(policy) ? policy : throw new ArgumentOutOfRangeException(nameof(policy), policy, "MetaBatchWork: unknown policy.");
        FirstIndex = firstIndex;
        OuterStep = outerStep;
    }

    /// <summary>The tasks.</summary>
    public IReadOnlyList<ITask> Tasks { get; }

    /// <summary>How many units the tasks are cut into.</summary>
    public int Units { get; }

    /// <summary>Computes the mean loss and gradient of the tasks [first, first + count) (indices in the whole meta-batch).</summary>
    public Func<int, int, TaskOutcome> RunUnit { get; }

    /// <summary>Computes one task alone (index in the whole meta-batch), or null.</summary>
    public Func<int, TaskOutcome>? RunTask { get; }

    /// <summary>What to do with a non-finite loss or gradient.</summary>
    public NonFiniteTaskPolicy Policy { get; }

    /// <summary>The index of <see cref="Tasks"/>[0] in the whole meta-batch.</summary>
    public int FirstIndex { get; }

    /// <summary>
    /// The learner's outer step (its outer optimizer's step count) when it planned the work: a remote replica computes the
    /// units as at this step (<see cref="GradientMetaLearner.ComputeMetaBatchUnit"/>), since some options anneal with it
    /// (MAML++'s multi-step loss and derivative order).
    /// </summary>
    public long OuterStep { get; }

    /// <summary>The index (in the whole meta-batch) of unit <paramref name="unit"/>'s first task.</summary>
    public int UnitFirst(int unit) => FirstIndex + (int)((long)Tasks.Count * unit / Units);

    /// <summary>How many tasks unit <paramref name="unit"/> holds.</summary>
    public int UnitCount(int unit) => (int)(((long)Tasks.Count * (unit + 1) / Units) - ((long)Tasks.Count * unit / Units));
}
