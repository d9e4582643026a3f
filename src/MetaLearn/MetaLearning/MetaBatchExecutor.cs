using System.Runtime.ExceptionServices;
using MetaLearn.Tensors;

namespace MetaLearn.MetaLearning;

/// <summary>
/// Runs the tasks of a meta-batch in parallel and combines their losses and gradients into one mean, bit-identical
/// whatever the number of threads: the scheduler under every gradient-based meta-learner (MAML, Reptile, prototypical
/// and Siamese networks, and yours).
/// </summary>
/// <remarks>
/// <para>Each unit (a task, or a fixed chunk of consecutive tasks run as one graph) runs in an <see cref="AllocationScope"/>
/// with its kernels on its own thread (<see cref="Parallelism.SerialKernels"/>), and its gradient is copied into a slot of
/// its own; the slots are then added in unit order. So the rounding depends only on how the tasks were cut into units, which
/// the caller fixes, never on the thread count or on which unit finished first, and parallelism is not capped by any fixed
/// group count. The slots cost one meta-gradient per unit (kept between calls); each thread additionally holds one unit's
/// working set.</para>
/// <para>A unit's loss and gradient are checked for NaN and infinity. Under <see cref="NonFiniteTaskPolicy.Throw"/> the
/// run throws a <see cref="NonFiniteTaskException"/> naming the task; under <see cref="NonFiniteTaskPolicy.SkipTask"/> the
/// task is left out (a chunk with a bad task is run again task by task, to find it) and reported.</para>
/// </remarks>
public sealed class MetaBatchExecutor : IMetaBatchExecutor
{
    private readonly Tensor[] _templates;
    private readonly string[] _names;
    private Tensor[][] _slots = [];

    /// <summary>Creates an executor for gradients shaped like <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The meta-parameters (their shapes and dtypes).</param>
    /// <param name="names">Their names, for messages (indices when null).</param>
    /// <exception cref="ArgumentException">No parameters, or the name count differs.</exception>
    public MetaBatchExecutor(IReadOnlyList<Tensor> parameters, IReadOnlyList<string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Count == 0)
        {
            throw new ArgumentException("MetaBatchExecutor: no parameters.", nameof(parameters));
        }

        if (names is not null && names.Count != parameters.Count)
        {
            throw new ArgumentException($"MetaBatchExecutor: {names.Count} names for {parameters.Count} parameters.", nameof(names));
        }

        _templates = [.. parameters];
        _names = names is null ? [.. Enumerable.Range(0, parameters.Count).Select(i => $"parameter {i}")] : [.. names];
    }

    /// <summary>Runs <paramref name="taskCount"/> tasks one unit each and returns their mean.</summary>
    /// <param name="taskCount">How many tasks (at least 1).</param>
    /// <param name="runTask">Computes task i's loss and gradient. It runs inside an allocation scope: it may return tensors created there.</param>
    /// <param name="policy">What to do with a non-finite loss or gradient.</param>
    public MetaBatchResult Run(int taskCount, Func<int, TaskOutcome> runTask, NonFiniteTaskPolicy policy = NonFiniteTaskPolicy.Throw)
    {
        ArgumentNullException.ThrowIfNull(runTask);
        return Run(taskCount, taskCount, (first, _) => runTask(first), runTask, policy);
    }

    /// <summary>
    /// Runs <paramref name="taskCount"/> tasks cut into <paramref name="unitCount"/> units of consecutive tasks (unit u holds
    /// tasks [T·u/U, T·(u+1)/U)) and returns their mean, each unit weighted by its task count.
    /// </summary>
    /// <param name="taskCount">How many tasks (at least 1).</param>
    /// <param name="unitCount">How many units, between 1 and <paramref name="taskCount"/>; fix it from the tasks, never from the thread count.</param>
    /// <param name="runUnit">Computes the mean loss and mean gradient of the tasks [first, first + count).</param>
    /// <param name="runTask">Computes one task alone: used to find and leave out a non-finite task of a unit of several under
    /// <see cref="NonFiniteTaskPolicy.SkipTask"/>; null to skip the whole unit instead.</param>
    /// <param name="policy">What to do with a non-finite loss or gradient.</param>
    /// <exception cref="NonFiniteTaskException">A value is not finite under <see cref="NonFiniteTaskPolicy.Throw"/>.</exception>
    public MetaBatchResult Run(int taskCount, int unitCount, Func<int, int, TaskOutcome> runUnit, Func<int, TaskOutcome>? runTask,
        NonFiniteTaskPolicy policy = NonFiniteTaskPolicy.Throw)
    {
        ArgumentNullException.ThrowIfNull(runUnit);
        ArgumentOutOfRangeException.ThrowIfLessThan(taskCount, 1);
        if (unitCount < 1 || unitCount > taskCount)
        {
            throw new ArgumentOutOfRangeException(nameof(unitCount), unitCount,
                $"MetaBatchExecutor: the unit count must be between 1 and the task count {taskCount}.");
        }

        return RunAll(taskCount, unitCount, 0, runUnit, runTask, policy);
    }

    /// <inheritdoc/>
    public MetaBatchResult Run(MetaBatchWork work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return RunAll(work.Tasks.Count, work.Units, work.FirstIndex, work.RunUnit, work.RunTask, work.Policy);
    }

    /// <summary>
    /// Computes and checks one unit of <paramref name="work"/> on this thread, into tensors the caller owns: what a remote
    /// worker runs. <see cref="Combine"/> of every unit in order gives the bits of <see cref="Run(MetaBatchWork)"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The unit is not one of the work's.</exception>
    /// <exception cref="NonFiniteTaskException">A value is not finite under <see cref="NonFiniteTaskPolicy.Throw"/>.</exception>
    public MetaBatchUnit RunUnit(MetaBatchWork work, int unit)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (unit < 0 || unit >= work.Units)
        {
            throw new ArgumentOutOfRangeException(nameof(unit), unit, $"MetaBatchExecutor: the work has {work.Units} units.");
        }

        Tensor[] slot;
        using (AllocationScope.Suspend())
        using (Tensor.NoGrad())
        {
            slot = [.. _templates.Select(t => t.ZerosLike())];
        }

        var result = RunUnitInto(work.UnitFirst(unit), work.UnitCount(unit), work.RunUnit, work.RunTask, work.Policy, slot, parallel: false);
        return ToUnit(result, slot);
    }

    /// <summary>
    /// Combines computed units, in the order given (unit order), into the mean over the tasks used: each unit's loss and
    /// gradient weighted by its share of the tasks used, added one after another.
    /// </summary>
    /// <exception cref="ArgumentException">No units, or a gradient that does not match the meta-parameters.</exception>
    public MetaBatchResult Combine(IReadOnlyList<MetaBatchUnit> units)
    {
        ArgumentNullException.ThrowIfNull(units);
        if (units.Count == 0)
        {
            throw new ArgumentException("MetaBatchExecutor: no units to combine.", nameof(units));
        }

        for (int u = 0; u < units.Count; u++)
        {
            var unit = units[u] ?? throw new ArgumentException($"MetaBatchExecutor: unit {u} is null.", nameof(units));
            if (unit.Gradient.Count != _templates.Length)
            {
                throw new ArgumentException(
                    $"MetaBatchExecutor: unit {u} has {unit.Gradient.Count} gradients for {_templates.Length} meta-parameters.", nameof(units));
            }

            for (int p = 0; p < _templates.Length; p++)
            {
                if (unit.Gradient[p] is { } g && (g.DType != _templates[p].DType || !g.Shape.SequenceEqual(_templates[p].Shape)))
                {
                    throw new ArgumentException(
                        $"MetaBatchExecutor: unit {u} has a gradient {g.DType} {Shapes.Format(g.Shape)} for '{_names[p]}'.", nameof(units));
                }
            }
        }

        int used = units.Sum(r => r.TasksUsed);
        var skipped = units.SelectMany(r => r.Skipped).Order().ToArray();
        var gradient = _templates.Select(t => t.ZerosLike()).ToArray();
        double loss = 0;
        if (used > 0)
        {
            foreach (var unit in units)
            {
                if (unit.TasksUsed == 0)
                {
                    continue;
                }

                double weight = (double)unit.TasksUsed / used;
                loss += unit.Loss * weight;
                for (int p = 0; p < gradient.Length; p++)
                {
                    if (unit.Gradient[p] is { } g)
                    {
                        gradient[p].AddScaledInPlace(g, weight);
                    }
                }
            }
        }

        return new MetaBatchResult(used > 0 ? loss : double.NaN, gradient, used, skipped);
    }

    private MetaBatchResult RunAll(
        int taskCount,
        int unitCount,
        int firstIndex,
        Func<int, int, TaskOutcome> runUnit,
        Func<int, TaskOutcome>? runTask,
        NonFiniteTaskPolicy policy)
    {
        var slots = Slots(unitCount);
        var units = new MetaBatchUnit[unitCount];
        int degree = Math.Min(unitCount, Parallelism.MaxDegreeOfParallelism);
        ForEach(unitCount, degree, u =>
        {
            int first = (int)((long)taskCount * u / unitCount);
            int count = (int)((long)taskCount * (u + 1) / unitCount) - first;
            units[u] = ToUnit(RunUnitInto(firstIndex + first, count, runUnit, runTask, policy, slots[u], degree > 1), slots[u]);
        });

        // Every unit is done: add them in unit order, each weighted by its share of the tasks used.
        return Combine(units);
    }

    private static MetaBatchUnit ToUnit(UnitResult result, Tensor[] slot)
        => new(result.Loss, result.TasksUsed, result.Skipped, [.. slot.Select((s, p) => result.HasGradient[p] ? s : null)]);

    private UnitResult RunUnitInto(
        int first,
        int count,
        Func<int, int, TaskOutcome> runUnit,
        Func<int, TaskOutcome>? runTask,
        NonFiniteTaskPolicy policy,
        Tensor[] slot,
        bool parallel)
    {
        using var serial = parallel ? Parallelism.SerialKernels() : default;
        var result = Attempt(first, count, slot, () => runUnit(first, count));
        if (result.Problem is null)
        {
            return result;
        }

        if (count == 1 || policy == NonFiniteTaskPolicy.Throw && runTask is null)
        {
            return policy == NonFiniteTaskPolicy.Throw
                ? throw new NonFiniteTaskException(first, result.Problem)
                : new UnitResult(0, 0, [.. Enumerable.Range(first, count)], new bool[slot.Length], null);
        }

        if (runTask is null)
        {
            return new UnitResult(0, 0, [.. Enumerable.Range(first, count)], new bool[slot.Length], null);
        }

        // A unit of several tasks went wrong: run its tasks one by one to find which, and keep the others.
        var mean = new UnitResult(0, 0, [], new bool[slot.Length], null);
        var sums = _templates.Select(t => t.ZerosLike()).ToArray();
        var skipped = new List<int>();
        double lossSum = 0;
        int used = 0;
        for (int i = first; i < first + count; i++)
        {
            var single = Attempt(i, 1, slot, () => runTask(i));
            if (single.Problem is { } problem)
            {
                if (policy == NonFiniteTaskPolicy.Throw)
                {
                    throw new NonFiniteTaskException(i, problem);
                }

                skipped.Add(i);
                continue;
            }

            used++;
            lossSum += single.Loss;
            for (int p = 0; p < sums.Length; p++)
            {
                if (single.HasGradient[p])
                {
                    sums[p].AddInPlace(slot[p]);
                    mean.HasGradient[p] = true;
                }
            }
        }

        for (int p = 0; p < sums.Length; p++)
        {
            slot[p].CopyFrom(sums[p]);
            if (used > 0)
            {
                slot[p].ScaleInPlace(1.0 / used);
            }
        }

        return mean with { Loss = used > 0 ? lossSum / used : 0, TasksUsed = used, Skipped = [.. skipped] };
    }

    /// <summary>Runs one unit in an allocation scope, copies its gradient into <paramref name="slot"/> and checks it.</summary>
    private UnitResult Attempt(int first, int count, Tensor[] slot, Func<TaskOutcome> run)
    {
        var hasGradient = new bool[slot.Length];
        using var scope = AllocationScope.Begin();
        var outcome = run() ?? throw new InvalidOperationException($"MetaBatchExecutor: the function for task {first} returned null.");
        if (outcome.Gradient is null || outcome.Gradient.Count != slot.Length)
        {
            throw new InvalidOperationException($"MetaBatchExecutor: task {first} returned {outcome.Gradient?.Count ?? 0} gradients for "
                + $"{slot.Length} meta-parameters.");
        }

        string? problem = double.IsFinite(outcome.Loss) ? null : "query loss";
        for (int p = 0; p < slot.Length; p++)
        {
            if (outcome.Gradient[p] is not { } g)
            {
                continue;
            }

            if (g.DType != slot[p].DType || !g.Shape.SequenceEqual(slot[p].Shape))
            {
                throw new InvalidOperationException($"MetaBatchExecutor: task {first} returned a gradient {g.DType} "
                    + $"{Shapes.Format(g.Shape)} for '{_names[p]}' {slot[p].DType} {Shapes.Format(slot[p].Shape)}.");
            }

            slot[p].CopyFrom(g);
            hasGradient[p] = true;
            if (problem is null && !slot[p].IsFinite())
            {
                problem = $"gradient of '{_names[p]}'";
            }
        }

        return new UnitResult(outcome.Loss, count, [], hasGradient, problem);
    }

    private Tensor[][] Slots(int units)
    {
        if (_slots.Length < units)
        {
            using var suspended = AllocationScope.Suspend();
            using var noGrad = Tensor.NoGrad();
            var slots = new Tensor[units][];
            for (int u = 0; u < units; u++)
            {
                slots[u] = u < _slots.Length ? _slots[u] : [.. _templates.Select(t => t.ZerosLike())];
            }

            _slots = slots;
        }

        return _slots;
    }

    /// <summary>Parallel.For that rethrows a single failure as itself rather than wrapped in an <see cref="AggregateException"/>.</summary>
    internal static void ForEach(int count, int degree, Action<int> body)
    {
        if (degree <= 1 || count <= 1)
        {
            for (int i = 0; i < count; i++)
            {
                body(i);
            }

            return;
        }

        try
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = degree }, body);
        }
        catch (AggregateException error)
        {
            var flat = error.Flatten();
            var first = flat.InnerExceptions.OrderBy(e => e is NonFiniteTaskException n ? n.TaskIndex : int.MaxValue).First();
            if (flat.InnerExceptions.All(e => e.GetType() == first.GetType()))
            {
                ExceptionDispatchInfo.Capture(first).Throw();
            }

            throw;
        }
    }

    private sealed record UnitResult(double Loss, int TasksUsed, int[] Skipped, bool[] HasGradient, string? Problem);
}
