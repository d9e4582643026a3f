using MetaLearn.Data;
using MetaLearn.Optim;
using MetaLearn.Tensors;

namespace MetaLearn.MetaLearning;

/// <summary>
/// The base of meta-learners that update meta-parameters from the mean of per-task gradients: the meta-batch runs on an
/// <see cref="IMetaBatchExecutor"/> (by default the local <see cref="MetaBatchExecutor"/>: parallel, bit-identical for any
/// thread count, non-finite tasks caught; <see cref="OuterLoopOptions.Executor"/> for another), and the mean gradient,
/// optionally clipped, goes to an outer optimizer the caller chooses, on the caller's schedule. A new algorithm says only
/// how one task's loss and gradient are computed (<see cref="ComputeTask"/>) and how a learner adapts (<see cref="CreateLearner"/>).
/// </summary>
public abstract class GradientMetaLearner : IMetaLearner
{
    private const string OuterPrefix = "outer";

    private readonly Tensor[] _metaParameters;
    private readonly string[] _metaNames;
    private long? _coordinatorStep;

    /// <summary>Creates the meta-learner.</summary>
    /// <param name="metaParameters">The tensors the outer loop trains, with their names (e.g. "model.head.weight").</param>
    /// <param name="outer">The outer-loop settings; its optimizer factory receives the meta-parameters.</param>
    /// <exception cref="ArgumentException">No meta-parameters, duplicate names, or the factory returned an optimizer over other tensors.</exception>
    protected GradientMetaLearner(IReadOnlyList<(string Name, Tensor Value)> metaParameters, OuterLoopOptions outer)
    {
        ArgumentNullException.ThrowIfNull(metaParameters);
        ArgumentNullException.ThrowIfNull(outer);
        if (metaParameters.Count == 0)
        {
            throw new ArgumentException($"{GetType().Name}: nothing to meta-train (the selection of trained parameters is empty).", nameof(metaParameters));
        }

        if (metaParameters.Select(p => p.Name).Distinct(StringComparer.Ordinal).Count() != metaParameters.Count)
        {
            throw new ArgumentException($"{GetType().Name}: meta-parameter names must be unique.", nameof(metaParameters));
        }

        _metaParameters = [.. metaParameters.Select(p => p.Value)];
        _metaNames = [.. metaParameters.Select(p => p.Name)];
        Outer = outer;
        OuterOptimizer = outer.CreateOptimizer(_metaParameters);
        if (OuterOptimizer.Parameters.Count != _metaParameters.Length
            || !OuterOptimizer.Parameters.Zip(_metaParameters).All(pair => ReferenceEquals(pair.First, pair.Second)))
        {
            throw new ArgumentException($"{GetType().Name}: the outer optimizer must be created over exactly the meta-parameters it is given, in "
                + $"order.", nameof(outer));
        }

        LocalExecutor = new MetaBatchExecutor(_metaParameters, _metaNames);
        Executor = outer.Executor is { } factory
            ? factory(_metaParameters, _metaNames) ?? throw new ArgumentException($"{GetType().Name}: OuterLoopOptions.Executor returned null.", nameof(outer))
            : LocalExecutor;
    }

    /// <summary>The tensors the outer loop trains.</summary>
    public IReadOnlyList<Tensor> MetaParameters => _metaParameters;

    /// <summary>Their names, as they appear in <see cref="ExportState"/>.</summary>
    public IReadOnlyList<string> MetaParameterNames => _metaNames;

    /// <summary>The outer-loop settings.</summary>
    public OuterLoopOptions Outer { get; }

    /// <summary>The outer optimizer; <see cref="OuterLoopOptions.Schedule"/>, when set, sets its learning rate before every step.</summary>
    public Optimizer OuterOptimizer { get; }

    /// <summary>The executor that runs the meta-batches (<see cref="LocalExecutor"/> unless <see cref="OuterLoopOptions.Executor"/> chose another).</summary>
    protected IMetaBatchExecutor Executor { get; }

    /// <summary>The executor on this machine's threads, also used by <see cref="ComputeMetaBatchUnit"/>.</summary>
    protected MetaBatchExecutor LocalExecutor { get; }

    /// <summary>
    /// The outer step the meta-batch being computed belongs to: the outer optimizer's <see cref="Optimizer.StepCount"/>,
    /// or the coordinator's step while this learner computes a unit for it (<see cref="ComputeMetaBatchUnit"/>). Whatever a
    /// task's computation anneals over training (MAML++'s multi-step loss and derivative order) reads this, not the
    /// optimizer's count, so that a replica computes the coordinator's bits.
    /// </summary>
    protected long OuterStep => _coordinatorStep ?? OuterOptimizer.StepCount;

    /// <summary>
    /// The meta-loss and the mean meta-gradient of a meta-batch (one tensor per meta-parameter), without changing anything:
    /// for a loop of your own (<c>OuterOptimizer.Step(result.Gradient)</c>) or for checking gradients.
    /// </summary>
    /// <exception cref="ArgumentException">The meta-batch is empty or holds a null task.</exception>
    /// <exception cref="NonFiniteTaskException">A task's value is not finite and the policy is to throw.</exception>
    public MetaBatchResult ComputeMetaGradient(IReadOnlyList<ITask> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        if (tasks.Count == 0)
        {
            throw new ArgumentException($"{GetType().Name}: the meta-batch is empty.", nameof(tasks));
        }

        for (int i = 0; i < tasks.Count; i++)
        {
            if (tasks[i] is null)
            {
                throw new ArgumentException($"{GetType().Name}: task {i} of the meta-batch is null.", nameof(tasks));
            }
        }

        return ComputeBatch(tasks);
    }

    /// <summary>
    /// How a meta-batch of <paramref name="tasks"/> is cut into units and how each is computed, as handed to the executor.
    /// </summary>
    /// <param name="tasks">The tasks of the meta-batch, or of a slice of it.</param>
    /// <param name="firstIndex">The index of <paramref name="tasks"/>[0] in the whole meta-batch.</param>
    /// <param name="units">The number of units, or null for the learner's own choice (<see cref="MetaBatchUnits"/>).</param>
    /// <exception cref="ArgumentException">No tasks, or a unit count out of range.</exception>
    public MetaBatchWork PlanMetaBatch(IReadOnlyList<ITask> tasks, int firstIndex = 0, int? units = null)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        return new MetaBatchWork(
            tasks,
            units ?? MetaBatchUnits(tasks),
            (first, count) => ComputeUnit(Slice(tasks, first - firstIndex, count), first),
            i => ComputeTask(tasks[i - firstIndex], i),
            Outer.NonFiniteTasks,
            firstIndex,
            OuterStep);
    }

    /// <summary>
    /// Computes one unit of a meta-batch on this replica, with its current meta-parameters: what a remote worker runs.
    /// The unit's tasks are <paramref name="unitTasks"/>, the tasks [<paramref name="firstIndex"/>, + count) of the whole
    /// meta-batch; the result has the bits the local executor gets for that unit.
    /// </summary>
    /// <param name="unitTasks">The unit's tasks.</param>
    /// <param name="firstIndex">The index of the first in the whole meta-batch.</param>
    /// <param name="outerStep">The coordinator's outer step (<see cref="MetaBatchWork.OuterStep"/>), at which options annealed
    /// over training are computed; null for this learner's own.</param>
    /// <exception cref="ArgumentException">No tasks.</exception>
    /// <exception cref="NonFiniteTaskException">A value is not finite and the policy is to throw.</exception>
    public MetaBatchUnit ComputeMetaBatchUnit(IReadOnlyList<ITask> unitTasks, int firstIndex, long? outerStep = null)
    {
        ArgumentNullException.ThrowIfNull(unitTasks);
        if (outerStep is { } step)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(step, nameof(outerStep));
        }

        _coordinatorStep = outerStep;
        try
        {
            return LocalExecutor.RunUnit(PlanMetaBatch(unitTasks, firstIndex, units: 1), 0);
        }
        finally
        {
            _coordinatorStep = null;
        }
    }

    /// <inheritdoc/>
    public virtual MetaStepResult MetaStep(IReadOnlyList<ITask> tasks)
    {
        var batch = ComputeMetaGradient(tasks);
        if (batch.TasksUsed == 0)
        {
            return new MetaStepResult(double.NaN, 0, batch.SkippedTasks, double.NaN);
        }

        double norm = GradientClipping.JointNorm(batch.Gradient);
        if (!double.IsFinite(norm))
        {
            // Each task was finite but their sum overflowed: nothing is updated.
            throw new NonFiniteTaskException($"{GetType().Name}: the meta-gradient's norm is {norm} although every task's gradient was finite "
                + $"(an overflow in the sum); nothing was updated.");
        }

        if (Outer.MaxGradientNorm is { } maxNorm)
        {
            GradientClipping.Rescale(batch.Gradient, maxNorm, norm);
        }

        Outer.Schedule?.Apply(OuterOptimizer);
        OuterOptimizer.Step(batch.Gradient);
        return new MetaStepResult(batch.Loss, batch.TasksUsed, batch.SkippedTasks, norm);
    }

    /// <inheritdoc/>
    public abstract ILearner CreateLearner();

    /// <inheritdoc/>
    public IReadOnlyList<(string Name, Tensor Value)> ExportState()
    {
        var state = new List<(string Name, Tensor Value)>(ExportOwnState());
        state.AddRange(OptimizerState.Export(OuterOptimizer, OuterPrefix));
        return state;
    }

    /// <inheritdoc/>
    public void ImportState(IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var expected = ExportState();
        StateCheck.Validate(expected, state, nameof(state));
        var own = state.Where(p => !p.Key.StartsWith(OuterPrefix + "/", StringComparison.Ordinal)).ToDictionary(p => p.Key, p => p.Value,
            StringComparer.Ordinal);
        ValidateOwnState(own);
        OptimizerState.Import(OuterOptimizer, OuterPrefix, state);
        ImportOwnState(own);
    }

    /// <summary>Computes the meta-batch on <see cref="Executor"/>, cut into units by <see cref="MetaBatchUnits"/>.</summary>
    protected virtual MetaBatchResult ComputeBatch(IReadOnlyList<ITask> tasks)
        => Executor.Run(PlanMetaBatch(tasks));

    /// <summary>How many units a meta-batch is cut into: by default one per task. Decide it from the tasks alone, never from the thread count.</summary>
    protected virtual int MetaBatchUnits(IReadOnlyList<ITask> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        return tasks.Count;
    }

    /// <summary>
    /// The mean loss and gradient of a unit of consecutive tasks, the first being task <paramref name="firstIndex"/> of the
    /// meta-batch; by default (units of one task) <see cref="ComputeTask"/>. Called in parallel, inside an allocation scope.
    /// </summary>
    /// <exception cref="InvalidOperationException">A unit of several tasks, which only a learner that overrides this can compute.</exception>
    protected virtual TaskOutcome ComputeUnit(IReadOnlyList<ITask> tasks, int firstIndex)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        return tasks.Count == 1
            ? ComputeTask(tasks[0], firstIndex)
            : throw new InvalidOperationException($"{GetType().Name}: a unit of {tasks.Count} tasks; override ComputeUnit to compute several tasks as one.");
    }

    /// <summary>
    /// One task's loss and gradient with respect to <see cref="MetaParameters"/> (null entries for none). Called in parallel
    /// for different tasks, inside an allocation scope: return tensors created here, keep none.
    /// </summary>
    protected abstract TaskOutcome ComputeTask(ITask task, int index);

    /// <summary>The algorithm's own state (model parameters and buffers, learned step sizes, counters), without the outer optimizer's.</summary>
    protected abstract IReadOnlyList<(string Name, Tensor Value)> ExportOwnState();

    /// <summary>Checks algorithm-specific values of a validated state before anything is changed (names, shapes and finiteness are already checked).</summary>
    protected virtual void ValidateOwnState(IReadOnlyDictionary<string, Tensor> state)
    {
    }

    /// <summary>Copies a validated state (as <see cref="ExportOwnState"/> wrote it) into the live tensors.</summary>
    protected abstract void ImportOwnState(IReadOnlyDictionary<string, Tensor> state);

    private static IReadOnlyList<ITask> Slice(IReadOnlyList<ITask> tasks, int first, int count)
        => first == 0 && count == tasks.Count ? tasks : [.. tasks.Skip(first).Take(count)];
}
