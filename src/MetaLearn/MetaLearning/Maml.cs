using System.Globalization;
using MetaLearn.Data;
using MetaLearn.NN;
using MetaLearn.Optim;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;

namespace MetaLearn.MetaLearning;

/// <summary>
/// Model-Agnostic Meta-Learning (Finn, Abbeel &amp; Levine, ICML 2017), with first-order MAML, Meta-SGD and ANIL as options.
/// </summary>
/// <remarks>
/// The meta-objective is L(θ) = Σᵢ L_query,i(θ − α∇L_support,i(θ)) (averaged over the meta-batch here). The inner loop
/// runs the module with adapted weights passed in (<see cref="Module.Forward(Tensor, IReadOnlyList{Tensor})"/>) and
/// builds them with <see cref="DifferentiableSgd"/>; with second order the inner gradients are recorded
/// (<c>createGraph: true</c>) so the meta-gradient includes the Hessian term exactly. Tasks of a meta-batch run in
/// parallel; their gradients are summed in task order, so the result is bit-identical whatever the thread count.
/// </remarks>
public class Maml : IMetaLearner
{
    private readonly Tensor[] _modelParameters;
    private readonly string[] _modelNames;
    private readonly bool[] _adapted;
    private readonly Tensor[] _learningRates;
    private readonly Tensor[] _metaParameters;
    private readonly Adam _optimizer;

    /// <summary>Per-group gradient sums of the task loop, kept between meta-steps (no task-sized allocation per iteration).</summary>
    private Tensor[][] _groupSums = [];

    /// <summary>Creates the meta-learner around <paramref name="model"/>, whose parameters become the meta-learned initialization.</summary>
    public Maml(Module model, TaskLoss loss, MamlOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        Options = options ?? new MamlOptions();
        Validate(Options);
        Model = model;
        Loss = loss;
        var named = model.NamedParameters();
        _modelParameters = [.. named.Select(p => p.Value)];
        _modelNames = [.. named.Select(p => p.Name)];
        _adapted = [.. named.Select(p => p.Value.RequiresGrad && (Options.AdaptOnlyPrefix is null || p.Name.StartsWith(Options.AdaptOnlyPrefix, StringComparison.Ordinal)))];
        if (!_adapted.Any(a => a))
        {
            throw new ArgumentException($"Maml: no trainable parameter matches the prefix '{Options.AdaptOnlyPrefix}'.", nameof(options));
        }

        _learningRates = Options.LearnInnerLearningRates
            ? [.. _modelParameters.Select((p, i) => _adapted[i] ? LearningRateTensor(p) : Tensor.Zeros(p.Shape.AsSpan(), p.DType))]
            : [];
        _metaParameters = [.. _modelParameters.Where(p => p.RequiresGrad), .. _learningRates.Where(t => t.RequiresGrad)];
        _optimizer = new Adam(_metaParameters, Options.MetaLearningRate);
    }

    /// <summary>The settings.</summary>
    public MamlOptions Options { get; }

    /// <summary>The model whose initialization is meta-learned.</summary>
    public Module Model { get; }

    /// <summary>The task loss used in both loops.</summary>
    public TaskLoss Loss { get; }

    /// <summary>Meta-SGD's learned step sizes, one tensor per model parameter (empty unless <see cref="MamlOptions.LearnInnerLearningRates"/>).</summary>
    public IReadOnlyList<Tensor> InnerLearningRates => _learningRates;

    /// <summary>Every tensor the outer loop trains: the model's trainable parameters, then any learned step sizes.</summary>
    public IReadOnlyList<Tensor> MetaParameters => _metaParameters;

    /// <summary>
    /// Adapts <paramref name="parameters"/> (in <see cref="Module.Parameters"/> order) to <paramref name="support"/> with
    /// <paramref name="steps"/> inner SGD steps and returns the adapted weights.
    /// </summary>
    /// <param name="parameters">Starting weights.</param>
    /// <param name="support">The examples to adapt on.</param>
    /// <param name="steps">Inner steps.</param>
    /// <param name="createGraph">Record the inner gradients so the result is differentiable to second order.</param>
    public Tensor[] Adapt(IReadOnlyList<Tensor> parameters, Examples support, int steps, bool createGraph)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(support);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        return Adapt(parameters, support, steps, createGraph, lossScale: 1);
    }

    /// <summary>The inner loop; <paramref name="lossScale"/> turns the mean loss of T stacked tasks into their sum, so each task gets its own gradient.</summary>
    private Tensor[] Adapt(IReadOnlyList<Tensor> parameters, Examples support, int steps, bool createGraph, double lossScale)
    {
        var fast = parameters.ToArray();
        var adaptedIndices = Enumerable.Range(0, fast.Length).Where(i => _adapted[i]).ToArray();
        for (int step = 0; step < steps; step++)
        {
            var loss = Loss(Model.Forward(support.Inputs, fast), support);
            if (lossScale != 1)
            {
                loss *= lossScale;
            }

            var inputs = adaptedIndices.Select(i => fast[i]).ToArray();
            var grads = Autograd.Grad([loss], inputs, null, createGraph, allowUnused: true);
            var updated = _learningRates.Length > 0
                ? DifferentiableSgd.Step(inputs, grads, [.. adaptedIndices.Select(i => _learningRates[i])])
                : DifferentiableSgd.Step(inputs, grads, StepRate(step));
            for (int j = 0; j < inputs.Length; j++)
            {
                fast[adaptedIndices[j]] = updated[j];
            }
        }

        return fast;
    }

    /// <summary>
    /// The meta-loss (mean query loss after adaptation) of a meta-batch and its gradient with respect to
    /// <see cref="MetaParameters"/>, without changing anything.
    /// </summary>
    public (double Loss, Tensor[] Gradient) ComputeMetaGradient(IReadOnlyList<ITask> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        if (tasks.Count == 0)
        {
            throw new ArgumentException("Maml: the meta-batch is empty.", nameof(tasks));
        }

        if (UseTaskBatching(tasks))
        {
            return ChunkedBatchedMetaGradient(tasks);
        }

        // Tasks go in fixed consecutive groups, each summed in task order into its own accumulators, and the groups are added
        // in order: the rounding depends on neither the thread count nor the scheduling, and nothing task-sized is kept.
        int groups = Math.Min(tasks.Count, TaskGroups);
        var sums = GroupAccumulators(groups);
        var losses = new double[tasks.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Options.MaxDegreeOfParallelism) };
        Parallel.For(0, groups, parallel, group =>
        {
            // With a task per core, splitting one task's products across cores too would only add hand-offs.
            using var serial = parallel.MaxDegreeOfParallelism > 1 && groups > 1 ? Parallelism.SerialKernels() : default;
            foreach (var sum in sums[group])
            {
                sum.Fill(0);
            }

            for (int i = tasks.Count * group / groups; i < tasks.Count * (group + 1) / groups; i++)
            {
                var task = tasks[i] ?? throw new ArgumentException($"Maml: task {i} is null.", nameof(tasks));

                // Everything this task builds is dead once its gradient is added up: its large buffers are reused by the next task.
                using var scope = AllocationScope.Begin();
                var fast = Adapt(_modelParameters, task.Support, Options.InnerSteps, createGraph: !Options.FirstOrder);
                var queryLoss = Loss(Model.Forward(task.Query.Inputs, fast), task.Query);
                losses[i] = queryLoss.Item();
                if (!queryLoss.RequiresGrad)
                {
                    continue;
                }

                var taskGradient = Autograd.Grad([queryLoss], _metaParameters, null, createGraph: false, allowUnused: true);
                for (int p = 0; p < taskGradient.Length; p++)
                {
                    if (taskGradient[p] is { } g)
                    {
                        sums[group][p].AddInPlace(g);
                    }
                }
            }
        });

        var total = new Tensor[_metaParameters.Length];
        double scale = 1.0 / tasks.Count;
        using (Tensor.NoGrad())
        {
            for (int p = 0; p < total.Length; p++)
            {
                Tensor sum = sums[0][p].Clone();
                for (int group = 1; group < groups; group++)
                {
                    sum.AddInPlace(sums[group][p]);
                }

                total[p] = sum * scale;
            }
        }

        return (losses.Sum() * scale, total);
    }

    /// <summary>How many consecutive groups the task loop splits a meta-batch into; fixed, so results do not depend on the cores.</summary>
    private const int TaskGroups = 8;

    private Tensor[][] GroupAccumulators(int groups)
    {
        if (_groupSums.Length < groups)
        {
            using var noGrad = Tensor.NoGrad();
            _groupSums = [.. Enumerable.Range(0, groups).Select(_ => _metaParameters.Select(p => p.ZerosLike()).ToArray())];
        }

        return _groupSums;
    }

    /// <summary>
    /// Batched tasks in two fixed halves, one graph each, run in parallel and combined in order: both cores are used and the
    /// split (hence every rounding) does not depend on the thread count.
    /// </summary>
    private (double Loss, Tensor[] Gradient) ChunkedBatchedMetaGradient(IReadOnlyList<ITask> tasks)
    {
        int chunks = tasks.Count >= 8 ? 2 : 1;
        var parts = new (double Loss, Tensor[] Gradient)[chunks];
        var sizes = new int[chunks];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Options.MaxDegreeOfParallelism) };
        Parallel.For(0, chunks, parallel, c =>
        {
            int first = tasks.Count * c / chunks;
            int last = tasks.Count * (c + 1) / chunks;
            sizes[c] = last - first;
            parts[c] = BatchedMetaGradient([.. tasks.Skip(first).Take(last - first)]);
        });

        if (chunks == 1)
        {
            return parts[0];
        }

        using var scope = Tensor.NoGrad();
        var total = new Tensor[_metaParameters.Length];
        double loss = 0;
        for (int c = 0; c < chunks; c++)
        {
            double weight = (double)sizes[c] / tasks.Count;
            loss += parts[c].Loss * weight;
            for (int p = 0; p < total.Length; p++)
            {
                var weighted = parts[c].Gradient[p] * weight;
                total[p] = c == 0 ? weighted : total[p] + weighted;
            }
        }

        return (loss, total);
    }

    /// <summary>The meta-gradient with all tasks in one graph: every parameter is expanded to [T, ...] and inputs stacked to [T, N, ...].</summary>
    private (double Loss, Tensor[] Gradient) BatchedMetaGradient(IReadOnlyList<ITask> tasks)
    {
        // The graph is dead once the gradient is copied out: its large buffers are reused by the next meta-batch.
        using var scope = AllocationScope.Begin();
        int count = tasks.Count;
        var support = Stack(tasks.Select(t => t.Support));
        var query = Stack(tasks.Select(t => t.Query));
        var expanded = new Tensor[_modelParameters.Length];
        for (int i = 0; i < expanded.Length; i++)
        {
            var p = _modelParameters[i];
            expanded[i] = p.BroadcastTo([count, .. p.Shape]);
        }

        // The stacked loss is the mean of the per-task losses; scaled by T it is their sum, whose gradient with respect to
        // task t's copy of the weights is task t's own gradient.
        var fast = Adapt(expanded, support, Options.InnerSteps, createGraph: !Options.FirstOrder, lossScale: count);
        var queryLoss = Loss(Model.Forward(query.Inputs, fast), query);
        var gradient = Autograd.Grad([queryLoss], _metaParameters, null, createGraph: false, allowUnused: true);
        var result = new Tensor[_metaParameters.Length];
        using (AllocationScope.Suspend())
        {
            for (int p = 0; p < result.Length; p++)
            {
                result[p] = gradient[p]?.Clone() ?? _metaParameters[p].ZerosLike();
            }
        }

        return (queryLoss.Item(), result);
    }

    private bool UseTaskBatching(IReadOnlyList<ITask> tasks)
    {
        if (Options.TaskBatching == TaskBatching.Never || tasks.Count < 2)
        {
            return false;
        }

        var first = tasks[0] ?? throw new ArgumentException("Maml: task 0 is null.", nameof(tasks));
        bool uniform = Model.SupportsTaskBatching && tasks.All(t =>
            t is not null && !t.Support.IsClassification
            && t.Support.Inputs.Shape.SequenceEqual(first.Support.Inputs.Shape) && t.Support.Targets!.Shape.SequenceEqual(first.Support.Targets!.Shape)
            && t.Query.Inputs.Shape.SequenceEqual(first.Query.Inputs.Shape) && t.Query.Targets!.Shape.SequenceEqual(first.Query.Targets!.Shape));
        if (Options.TaskBatching == TaskBatching.Always)
        {
            return uniform ? true : throw new ArgumentException("Maml: TaskBatching.Always needs a model that supports a task axis and regression tasks of equal sizes.", nameof(tasks));
        }

        return uniform && ReferenceEquals(Loss, TaskLosses.MeanSquaredError);
    }

    private static Examples Stack(IEnumerable<Examples> examples)
    {
        var list = examples.ToArray();
        return new Examples(Tensor.Stack([.. list.Select(e => e.Inputs)]), Tensor.Stack([.. list.Select(e => e.Targets!)]));
    }

    /// <inheritdoc/>
    public double MetaStep(IReadOnlyList<ITask> tasks)
    {
        var (loss, gradient) = ComputeMetaGradient(tasks);
        for (int p = 0; p < _metaParameters.Length; p++)
        {
            _metaParameters[p].Grad = gradient[p];
        }

        _optimizer.Step();
        _optimizer.ZeroGrad();
        return loss;
    }

    /// <inheritdoc/>
    public ILearner CreateLearner() => new MamlLearner(this);

    /// <inheritdoc/>
    public IReadOnlyList<(string Name, Tensor Value)> ExportState()
    {
        var state = StateCheck.ExportModel(Model);
        for (int i = 0; i < _learningRates.Length; i++)
        {
            state.Add(("inner_lr." + _modelNames[i], _learningRates[i].Clone()));
        }

        state.AddRange(OptimizerState.Export(_optimizer, "outer"));
        return state;
    }

    /// <inheritdoc/>
    public void ImportState(IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var expected = ExportState();
        StateCheck.Validate(expected, state, nameof(state));
        var targets = StateCheck.ModelTargets(Model);
        targets.AddRange(_learningRates);
        OptimizerState.Import(_optimizer, "outer", state);
        StateCheck.CopyAll(expected, state, targets);
    }

    /// <summary>The inner step size of step <paramref name="step"/> (fixed schedule or the single rate).</summary>
    internal double StepRate(int step) => Options.StepLearningRates is { } rates ? rates[step] : Options.InnerLearningRate;

    internal IReadOnlyList<Tensor> ModelParameters => _modelParameters;

    private Tensor LearningRateTensor(Tensor parameter)
    {
        var rate = Tensor.Full(parameter.Shape.AsSpan(), Options.InnerLearningRate, parameter.DType);
        rate.RequiresGrad = true;
        return rate;
    }

    private static void Validate(MamlOptions options)
    {
        if (!(options.InnerLearningRate >= 0) || double.IsInfinity(options.InnerLearningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.InnerLearningRate, "Maml: InnerLearningRate must be finite and non-negative.");
        }

        if (options.InnerSteps < 0 || options.TestSteps < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Maml: InnerSteps and TestSteps must be non-negative.");
        }

        if (options.StepLearningRates is { } rates && rates.Count < Math.Max(options.InnerSteps, options.TestSteps))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Maml: StepLearningRates has {rates.Count} entries; InnerSteps {options.InnerSteps} and TestSteps {options.TestSteps} need {Math.Max(options.InnerSteps, options.TestSteps)}."), nameof(options));
        }
    }
}
