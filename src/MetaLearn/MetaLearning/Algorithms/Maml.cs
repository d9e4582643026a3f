using System.Globalization;
using MetaLearn.Data;
using MetaLearn.NN;
using MetaLearn.Optim;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;

namespace MetaLearn.MetaLearning;

/// <summary>
/// Model-Agnostic Meta-Learning (Finn, Abbeel &amp; Levine, ICML 2017), with first-order MAML, Meta-SGD, ANIL and
/// per-step learning rates as options.
/// </summary>
/// <remarks>
/// The meta-objective is L(θ) = meanᵢ L_query,i(θ − α∇L_support,i(θ)). The inner loop (<see cref="InnerLoop"/>) runs the
/// module with adapted weights passed in (<see cref="Module.Forward(Tensor, IReadOnlyList{Tensor})"/>); with second order
/// the inner gradients are recorded so the meta-gradient includes the Hessian term exactly. Tasks run on the
/// <see cref="MetaBatchExecutor"/>, so the meta-gradient is bit-identical whatever the thread count. Regression tasks of
/// equal sizes on a model that accepts a task axis run as one graph per unit (<see cref="MamlOptions.TaskBatching"/>).
/// </remarks>
public class Maml : GradientMetaLearner
{
    private readonly Tensor[] _modelParameters;
    private readonly string[] _modelNames;
    private readonly Tensor[] _learningRates;
    private readonly bool[] _trained;

    /// <summary>Creates the meta-learner around <paramref name="model"/>, whose parameters become the meta-learned initialization.</summary>
    /// <exception cref="ArgumentException">The options select no parameter to train or adapt, or contradict each other.</exception>
    public Maml(Module model, TaskLoss loss, MamlOptions? options = null)
        : this(model, loss, options ?? new MamlOptions(), Plan(model, options ?? new MamlOptions()))
    {
    }

    private Maml(Module model, TaskLoss loss, MamlOptions options, (Tensor[] Rates, (string, Tensor)[] Meta, bool[] Trained, bool[] Adapted) plan)
        : base(plan.Meta, options.Outer)
    {
        ArgumentNullException.ThrowIfNull(loss);
        Options = options;
        Model = model;
        Loss = loss;
        var named = model.NamedParameters();
        _modelParameters = [.. named.Select(p => p.Value)];
        _modelNames = [.. named.Select(p => p.Name)];
        _learningRates = plan.Rates;
        _trained = plan.Trained;
        InnerLoop = new InnerLoop(model, loss, InnerRule(options, _learningRates), plan.Adapted, options.InnerPenalty);
    }

    /// <summary>The settings.</summary>
    public MamlOptions Options { get; }

    /// <summary>The model whose initialization is meta-learned.</summary>
    public Module Model { get; }

    /// <summary>The task loss used in both loops.</summary>
    public TaskLoss Loss { get; }

    /// <summary>The inner loop (model, loss, update rule, adapted parameters, penalty).</summary>
    public InnerLoop InnerLoop { get; }

    /// <summary>Meta-SGD's learned step sizes, one tensor per model parameter (empty unless <see cref="MamlOptions.LearnInnerLearningRates"/>).</summary>
    public IReadOnlyList<Tensor> InnerLearningRates => _learningRates;

    /// <summary>
    /// Adapts <paramref name="weights"/> (one per model parameter) to <paramref name="support"/> with
    /// <paramref name="steps"/> inner steps and returns the adapted weights.
    /// </summary>
    /// <exception cref="ArgumentException">The weights do not match the model.</exception>
    public Tensor[] Adapt(IReadOnlyList<Tensor> weights, Examples support, int steps, InnerLoopMode mode)
        => InnerLoop.Run(weights, support, steps, mode).Weights;

    /// <inheritdoc/>
    public override ILearner CreateLearner() => new GradientLearner(InnerLoop, _modelParameters);

    /// <inheritdoc/>
    protected override TaskOutcome ComputeTask(ITask task, int index)
    {
        var fast = InnerLoop.Run(_modelParameters, task.Support, Options.InnerSteps, Mode).Weights;
        var queryLoss = Loss(Model.Forward(task.Query.Inputs, fast), task.Query);
        return Outcome(queryLoss);
    }

    /// <inheritdoc/>
    protected override int MetaBatchUnits(IReadOnlyList<ITask> tasks)
        => UseTaskBatching(tasks) ? BatchedUnits(tasks.Count) : base.MetaBatchUnits(tasks);

    /// <inheritdoc/>
    protected override TaskOutcome ComputeUnit(IReadOnlyList<ITask> tasks, int firstIndex)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        return tasks.Count == 1 ? ComputeTask(tasks[0], firstIndex) : BatchedUnit(tasks);
    }

    /// <inheritdoc/>
    protected override IReadOnlyList<(string Name, Tensor Value)> ExportOwnState()
    {
        var state = StateCheck.ExportModel(Model);
        for (int i = 0; i < _learningRates.Length; i++)
        {
            state.Add(("inner_lr." + _modelNames[i], _learningRates[i].Clone()));
        }

        return state;
    }

    /// <inheritdoc/>
    protected override void ImportOwnState(IReadOnlyDictionary<string, Tensor> state)
    {
        StateCheck.ImportModel(Model, state);
        for (int i = 0; i < _learningRates.Length; i++)
        {
            _learningRates[i].CopyFrom(state["inner_lr." + _modelNames[i]]);
        }
    }

    private InnerLoopMode Mode => Options.FirstOrder ? InnerLoopMode.FirstOrder : InnerLoopMode.SecondOrder;

    private TaskOutcome Outcome(Tensor queryLoss)
    {
        double loss = queryLoss.Item();
        return queryLoss.RequiresGrad
            ? new TaskOutcome(loss, Autograd.Grad([queryLoss], MetaParameters, null, createGraph: false, allowUnused: true))
            : new TaskOutcome(loss, new Tensor?[MetaParameters.Count]);
    }

    /// <summary>Several tasks in one graph: every parameter expanded to [T, ...] and inputs stacked to [T, N, ...].</summary>
    private TaskOutcome BatchedUnit(IReadOnlyList<ITask> tasks)
    {
        int count = tasks.Count;
        var support = Stack(tasks.Select(t => (RegressionExamples)t.Support));
        var query = Stack(tasks.Select(t => (RegressionExamples)t.Query));
        var expanded = new Tensor[_modelParameters.Length];
        for (int i = 0; i < expanded.Length; i++)
        {
            var p = _modelParameters[i];
            expanded[i] = p.BroadcastTo([count, .. p.Shape]);
        }

        // The stacked loss is the mean of the per-task losses; scaled by T it is their sum, whose gradient with respect to
        // task t's copy of the weights is task t's own gradient.
        var fast = InnerLoop.Run(expanded, support, Options.InnerSteps, Mode, lossScale: count).Weights;
        return Outcome(Loss(Model.Forward(query.Inputs, fast), query));
    }

    /// <summary>
    /// How many graphs a batched meta-batch of <paramref name="tasks"/> tasks is cut into: <see cref="MamlOptions.BatchedUnits"/>
    /// when set, else one per processor of the machine, each of at least four tasks (and one graph below eight tasks). The
    /// cut depends on the machine, never on <see cref="Parallelism.MaxDegreeOfParallelism"/>, so results are bit-identical
    /// for any thread count; fix it to get the same bits on machines with other core counts.
    /// </summary>
    private int BatchedUnits(int tasks)
        => Math.Clamp(Options.BatchedUnits ?? (tasks < 8 ? 1 : Math.Min(Environment.ProcessorCount, tasks / 4)), 1, tasks);

    private bool UseTaskBatching(IReadOnlyList<ITask> tasks)
    {
        if (Options.TaskBatching == TaskBatching.Never || tasks.Count < 2)
        {
            return false;
        }

        var first = tasks[0];
        bool uniform = Model.SupportsTaskBatching && Options.InnerPenalty is null && tasks.All(t =>
            t.Support is RegressionExamples s && t.Query is RegressionExamples q && first.Support is RegressionExamples s0 && first.Query is RegressionExamples q0
            && s.Inputs.Shape.SequenceEqual(s0.Inputs.Shape) && s.Targets.Shape.SequenceEqual(s0.Targets.Shape)
            && q.Inputs.Shape.SequenceEqual(q0.Inputs.Shape) && q.Targets.Shape.SequenceEqual(q0.Targets.Shape));
        if (Options.TaskBatching == TaskBatching.Always)
        {
            return uniform ? true : throw new ArgumentException("Maml: TaskBatching.Always needs a model that supports a task axis, no inner penalty, and regression tasks of equal sizes.", nameof(tasks));
        }

        return uniform && ReferenceEquals(Loss, TaskLosses.MeanSquaredError);
    }

    private static RegressionExamples Stack(IEnumerable<RegressionExamples> examples)
    {
        var list = examples.ToArray();
        return Examples.Regression(Tensor.Stack([.. list.Select(e => e.Inputs)]), Tensor.Stack([.. list.Select(e => e.Targets)]));
    }

    private static IDifferentiableOptimizer InnerRule(MamlOptions options, Tensor[] learnedRates)
    {
        if (options.InnerOptimizer is { } custom)
        {
            return custom;
        }

        var sgd = new DifferentiableSgd(options.InnerLearningRate);
        if (learnedRates.Length > 0)
        {
            return sgd.WithLearnedLearningRates(learnedRates);
        }

        return options.StepLearningRates is { } rates ? sgd.WithStepLearningRates(rates) : sgd;
    }

    /// <summary>Resolves the selections and creates the learned step sizes, before the base class builds the outer optimizer.</summary>
    private static (Tensor[] Rates, (string, Tensor)[] Meta, bool[] Trained, bool[] Adapted) Plan(Module model, MamlOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        var named = model.NamedParameters();
        var names = named.Select(p => p.Name).ToArray();
        var trained = options.Trained.Mask(names);
        var adapted = options.Adapted.Mask(names);
        if (!adapted.Any(a => a))
        {
            throw new ArgumentException($"Maml: MamlOptions.Adapted ({options.Adapted}) selects none of the model's {names.Length} parameters.", nameof(options));
        }

        if (options.StepLearningRates is { } stepRates && stepRates.Count < options.InnerSteps)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Maml: MamlOptions.StepLearningRates has {stepRates.Count} entries; InnerSteps {options.InnerSteps} needs {options.InnerSteps}."), nameof(options));
        }

        if (options.InnerOptimizer is not null && (options.LearnInnerLearningRates || options.StepLearningRates is not null))
        {
            throw new ArgumentException("Maml: MamlOptions.InnerOptimizer replaces the SGD rule; it cannot be combined with LearnInnerLearningRates or StepLearningRates.", nameof(options));
        }

        Tensor[] rates = options.LearnInnerLearningRates
            ? [.. named.Select((p, i) => Tensor.Full(p.Value.Shape.AsSpan(), adapted[i] ? options.InnerLearningRate : 0, p.Value.DType))]
            : [];
        var meta = new List<(string, Tensor)>();
        for (int i = 0; i < names.Length; i++)
        {
            if (trained[i])
            {
                meta.Add(("model." + names[i], named[i].Value));
            }
        }

        for (int i = 0; i < rates.Length; i++)
        {
            if (adapted[i])
            {
                rates[i].RequiresGrad = true;
                meta.Add(("inner_lr." + names[i], rates[i]));
            }
        }

        return (rates, [.. meta], trained, adapted);
    }
}
