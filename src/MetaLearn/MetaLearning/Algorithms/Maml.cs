using System.Globalization;
using MetaLearn.Data;
using MetaLearn.NN;
using MetaLearn.Optim;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;

namespace MetaLearn.MetaLearning;

/// <summary>
/// Model-Agnostic Meta-Learning (Finn, Abbeel &amp; Levine, ICML 2017), with first-order MAML, Meta-SGD, ANIL, per-step
/// learning rates, Meta-Curvature and the five MAML++ improvements (Antoniou, Edwards &amp; Storkey, ICLR 2019) as options.
/// </summary>
/// <remarks>
/// The meta-objective is L(θ) = meanᵢ L_query,i(θ − α∇L_support,i(θ)). The inner loop (<see cref="InnerLoop"/>) runs the
/// module with adapted weights passed in (<see cref="Module.Forward(Tensor, IReadOnlyList{Tensor})"/>); with second order
/// the inner gradients are recorded so the meta-gradient includes the Hessian term exactly. Tasks run on the
/// <see cref="MetaBatchExecutor"/>, so the meta-gradient is bit-identical whatever the thread count. Regression tasks of
/// equal sizes on a model that accepts a task axis can run as one graph per unit, when the caller opts in with
/// <see cref="MamlOptions.TaskBatching"/>.
/// <para>MAML++ ("How to train your MAML") is five options, each usable alone: the multi-step loss
/// (<see cref="MamlOptions.MultiStepLossIterations"/>), per-step batch-norm weights and biases
/// (<see cref="MamlOptions.PerStepBatchNormWeights"/>), learned per-layer per-step inner rates
/// (<see cref="MamlOptions.LearnPerStepLearningRates"/>), derivative-order annealing
/// (<see cref="MamlOptions.FirstOrderIterations"/>) and an annealed outer rate
/// (<see cref="OuterLoopOptions.Schedule"/>, a <see cref="CosineAnnealing"/> in the paper). Their schedules
/// read the outer optimizer's step count, which <see cref="GradientMetaLearner.ExportState"/> saves, so a resumed run
/// continues them exactly. With the multi-step loss or per-step batch norm the meta-batch runs task by task
/// (<see cref="TaskBatching.Auto"/> falls back to it; <see cref="TaskBatching.Always"/> is refused).</para>
/// </remarks>
public class Maml : GradientMetaLearner
{
    private readonly Tensor[] _modelParameters;
    private readonly string[] _modelNames;
    private readonly Tensor[] _learningRates;
    private readonly Tensor?[][] _stepRates;
    private readonly CurvatureMatrices?[] _curvature;
    private readonly StepBatchNorm? _stepNorm;

    /// <summary>Creates the meta-learner around <paramref name="model"/>, whose parameters become the meta-learned initialization.</summary>
    /// <exception cref="ArgumentException">The options select no parameter to train or adapt, or contradict each other.</exception>
    public Maml(Module model, TaskLoss loss, MamlOptions? options = null)
        : this(model, loss, options ?? new MamlOptions(), MakePlan(model, options ?? new MamlOptions()))
    {
    }

    private Maml(Module model, TaskLoss loss, MamlOptions options, Plan plan)
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
        _stepRates = plan.StepRates;
        _curvature = plan.Curvature;
        _stepNorm = plan.StepNorm;
        InnerLoop = new InnerLoop(model, loss, InnerRule(options, _learningRates, _stepRates, _curvature), plan.Adapted, options.InnerPenalty)
        {
            CheckpointSteps = options.CheckpointInnerSteps,
        };
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
    /// Meta-Curvature's learned matrices, one entry per model parameter (null where the parameter is not adapted); empty
    /// unless <see cref="MamlOptions.MetaCurvature"/>.
    /// </summary>
    public IReadOnlyList<CurvatureMatrices?> Curvature => _curvature;

    /// <summary>
    /// MAML++'s learned per-step rates: entry [k][i] is the scalar rate of inner step k for model parameter i (null where
    /// the parameter is not adapted); empty unless <see cref="MamlOptions.LearnPerStepLearningRates"/>.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<Tensor?>> LearnedStepLearningRates => _stepRates;

    /// <summary>
    /// The weight of each inner step's query loss in the next meta-step's objective: (0, …, 0, 1) unless the multi-step
    /// loss is on and in its annealing period (see <see cref="MultiStepLoss"/>).
    /// </summary>
    public IReadOnlyList<double> CurrentStepLossWeights => StepLossWeights() ?? MultiStepLoss.Weights(Math.Max(1, Options.InnerSteps), 0, 0);

    /// <summary>The order of the next meta-step's meta-gradient (it changes with <see cref="MamlOptions.FirstOrderIterations"/>).</summary>
    public InnerLoopMode CurrentInnerLoopMode => Options.FirstOrder || (Options.FirstOrderIterations is { } n && OuterStep < n)
        ? InnerLoopMode.FirstOrder
        : InnerLoopMode.SecondOrder;

    /// <summary>
    /// Adapts <paramref name="weights"/> (one per model parameter) to <paramref name="support"/> with
    /// <paramref name="steps"/> inner steps and returns the adapted weights. With per-step batch norm, step k runs with
    /// step k's batch-norm copies in place of the given ones, and the result holds those of the last step run.
    /// </summary>
    /// <exception cref="ArgumentException">The weights do not match the model.</exception>
    public Tensor[] Adapt(IReadOnlyList<Tensor> weights, Examples support, int steps, InnerLoopMode mode)
    {
        if (_stepNorm is null)
        {
            return InnerLoop.Run(weights, support, steps, mode).Weights;
        }

        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        if (weights.Count != _modelParameters.Length)
        {
            throw new ArgumentException($"Maml.Adapt: {weights.Count} weights given; the model has {_modelParameters.Length} parameters.", nameof(weights));
        }

        var fast = weights.ToArray();
        _stepNorm.Apply(fast, 0);
        DifferentiableState? state = null;
        for (int step = 0; step < steps; step++)
        {
            _stepNorm.Apply(fast, step);
            (fast, state) = InnerLoop.Run(fast, support, 1, mode, state);
        }

        return fast;
    }

    /// <inheritdoc/>
    public override ILearner CreateLearner() => new GradientLearner(InnerLoop, _modelParameters, _stepNorm);

    /// <inheritdoc/>
    protected override TaskOutcome ComputeTask(ITask task, int index)
    {
        var mode = CurrentInnerLoopMode;
        var weights = StepLossWeights();
        if (weights is null && _stepNorm is null)
        {
            var fast = InnerLoop.Run(_modelParameters, task.Support, Options.InnerSteps, mode).Weights;
            return Outcome(Loss(Model.Forward(task.Query.Inputs, fast), task.Query));
        }

        return Outcome(StepwiseObjective(task, mode, weights));
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

        foreach (var (name, value) in StepState())
        {
            state.Add((name, value.Clone()));
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

        foreach (var (name, value) in StepState())
        {
            value.CopyFrom(state[name]);
        }
    }

    /// <summary>
    /// The live tensors of Meta-Curvature and MAML++ with their state names: curvature matrices ("curvature_out.NAME",
    /// "curvature_in.NAME", "curvature_filter.NAME"), learned per-step rates ("step_lr.K.NAME"), then per-step batch-norm
    /// copies ("step_bn.K.NAME").
    /// </summary>
    private IEnumerable<(string Name, Tensor Value)> StepState()
    {
        foreach (var entry in CurvatureState(_curvature, _modelNames))
        {
            yield return entry;
        }

        for (int k = 0; k < _stepRates.Length; k++)
        {
            for (int i = 0; i < _stepRates[k].Length; i++)
            {
                if (_stepRates[k][i] is { } rate)
                {
                    yield return (StepName("step_lr", k, _modelNames[i]), rate);
                }
            }
        }

        for (int k = 0; k < (_stepNorm?.Steps ?? 0); k++)
        {
            for (int j = 0; j < _stepNorm!.Indices.Count; j++)
            {
                yield return (StepName("step_bn", k, _modelNames[_stepNorm.Indices[j]]), _stepNorm.Copy(k, j));
            }
        }
    }

    private static string StepName(string kind, int step, string name) => string.Create(CultureInfo.InvariantCulture, $"{kind}.{step}.{name}");

    /// <summary>The multi-step loss weights of the next meta-step, or null when the objective is the last step's loss alone.</summary>
    private double[]? StepLossWeights()
        => Options.MultiStepLossIterations is { } period && OuterStep < period
            ? MultiStepLoss.Weights(Options.InnerSteps, OuterStep, period)
            : null;

    /// <summary>
    /// The inner loop one step at a time: step k runs with step k's batch-norm copies (when per step), and the objective is
    /// Σₖ wₖ·L_query(θₖ₊₁) over the steps of non-zero weight (the last step's loss alone when <paramref name="weights"/> is null).
    /// </summary>
    private Tensor StepwiseObjective(ITask task, InnerLoopMode mode, double[]? weights)
    {
        int steps = Options.InnerSteps;
        var fast = _modelParameters.ToArray();
        DifferentiableState? state = null;
        Tensor? objective = null;
        for (int k = 0; k < steps; k++)
        {
            _stepNorm?.Apply(fast, k);
            (fast, state) = InnerLoop.Run(fast, task.Support, 1, mode, state);
            double weight = weights is null ? (k == steps - 1 ? 1 : 0) : weights[k];
            if (weight == 0)
            {
                continue;
            }

            var loss = Loss(Model.Forward(task.Query.Inputs, fast), task.Query);
            var term = weights is null ? loss : loss * weight;
            objective = objective is null ? term : objective + term;
        }

        return objective!;
    }

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
        var fast = InnerLoop.Run(expanded, support, Options.InnerSteps, CurrentInnerLoopMode, lossScale: count).Weights;
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
        if (Options.TaskBatching == TaskBatching.Never || tasks.Count < 2 || Options.MultiStepLossIterations is not null || _stepNorm is not null)
        {
            return false;
        }

        var first = tasks[0];
        bool uniform = Model.SupportsTaskBatching && Options.InnerPenalty is null && tasks.All(t =>
            t.Support is RegressionExamples s && t.Query is RegressionExamples q && first.Support is RegressionExamples s0
                && first.Query is RegressionExamples q0
            && s.Inputs.Shape.SequenceEqual(s0.Inputs.Shape) && s.Targets.Shape.SequenceEqual(s0.Targets.Shape)
            && q.Inputs.Shape.SequenceEqual(q0.Inputs.Shape) && q.Targets.Shape.SequenceEqual(q0.Targets.Shape));
        if (Options.TaskBatching == TaskBatching.Always)
        {
            return uniform ? true
                : throw new ArgumentException("Maml: TaskBatching.Always needs a model that supports a task axis, no inner penalty, and "
                    + "regression tasks of equal sizes.", nameof(tasks));
        }

        return uniform;
    }

    private static RegressionExamples Stack(IEnumerable<RegressionExamples> examples)
    {
        var list = examples.ToArray();
        return Examples.Regression(Tensor.Stack([.. list.Select(e => e.Inputs)]), Tensor.Stack([.. list.Select(e => e.Targets)]));
    }

    /// <summary>The named matrices of each parameter that has them, in parameter order.</summary>
    private static IEnumerable<(string Name, Tensor Value)> CurvatureState(CurvatureMatrices?[] curvature, string[] names)
    {
        string[] kinds = ["curvature_out.", "curvature_in.", "curvature_filter."];
        for (int i = 0; i < curvature.Length; i++)
        {
            var matrices = curvature[i]?.Matrices ?? [];
            for (int m = 0; m < matrices.Count; m++)
            {
                yield return (kinds[m] + names[i], matrices[m]);
            }
        }
    }

    private static IDifferentiableOptimizer InnerRule(MamlOptions options, Tensor[] learnedRates, Tensor?[][] stepRates, CurvatureMatrices?[] curvature)
    {
        var rule = options.InnerOptimizer ?? SgdRule(options, learnedRates, stepRates);
        return curvature.Length > 0 ? new MetaCurvature(rule, curvature) : rule;
    }

    private static DifferentiableSgd SgdRule(MamlOptions options, Tensor[] learnedRates, Tensor?[][] stepRates)
    {
        var sgd = new DifferentiableSgd(options.InnerLearningRate);
        if (learnedRates.Length > 0)
        {
            return sgd.WithLearnedLearningRates(learnedRates);
        }

        if (stepRates.Length > 0)
        {
            return sgd.WithLearnedStepLearningRates(stepRates);
        }

        return options.StepLearningRates is { } rates ? sgd.WithStepLearningRates(rates) : sgd;
    }

    /// <summary>
    /// Resolves the selections and creates the learned step sizes and per-step copies, before the base class builds the
    /// outer optimizer over the meta-parameters: the trained model parameters (less the batch-norm ones when they are per
    /// step), Meta-SGD's rates ("inner_lr.NAME"), Meta-Curvature's matrices ("curvature_out.NAME"…), the per-step rates
    /// ("step_lr.K.NAME") and batch-norm copies ("step_bn.K.NAME").
    /// </summary>
    private static Plan MakePlan(Module model, MamlOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        var named = model.NamedParameters();
        var names = named.Select(p => p.Name).ToArray();
        var trained = options.Trained.Mask(names);
        var adapted = options.Adapted.Mask(names);
        CheckPlusPlus(options);
        var perStep = new bool[names.Length];
        StepBatchNorm? stepNorm = null;
        if (options.PerStepBatchNormWeights)
        {
            stepNorm = new StepBatchNorm(model, options.InnerSteps);
            foreach (int i in stepNorm.Indices)
            {
                perStep[i] = true;
                adapted[i] = false;
            }
        }

        if (!adapted.Any(a => a))
        {
            string bnNote = stepNorm is null ? "" : " (with PerStepBatchNormWeights, batch-norm parameters are not adapted)";
            throw new ArgumentException(
                $"Maml: MamlOptions.Adapted ({options.Adapted}) selects none of the model's {names.Length} parameters{bnNote}.",
                nameof(options));
        }

        if (options.StepLearningRates is { } stepRates && stepRates.Count < options.InnerSteps)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Maml: MamlOptions.StepLearningRates has {stepRates.Count} entries; InnerSteps {options.InnerSteps} needs {options.InnerSteps}."),
                    nameof(options));
        }

        if (options.InnerOptimizer is not null && (options.LearnInnerLearningRates || options.StepLearningRates is not null))
        {
            throw new ArgumentException("Maml: MamlOptions.InnerOptimizer replaces the SGD rule; it cannot be combined with "
                + "LearnInnerLearningRates or StepLearningRates.", nameof(options));
        }

        Tensor[] rates = options.LearnInnerLearningRates
            ? [.. named.Select((p, i) => Tensor.Full(p.Value.Shape.AsSpan(), adapted[i] ? options.InnerLearningRate : 0, p.Value.DType))]
            : [];
        Tensor?[][] learnedStepRates = options.LearnPerStepLearningRates
            ? [.. Enumerable.Range(0, options.InnerSteps)
                .Select(_ => named.Select((p, i) => adapted[i] ? Tensor.Scalar(options.InnerLearningRate, p.Value.DType) : null).ToArray())]
            : [];
        CurvatureMatrices?[] curvature = options.MetaCurvature
            ? [.. named.Select((p, i) => adapted[i] ? CurvatureMatrices.Identity(p.Value.Shape.AsSpan(), p.Value.DType) : null)]
            : [];
        var meta = new List<(string, Tensor)>();
        for (int i = 0; i < names.Length; i++)
        {
            if (trained[i] && !perStep[i])
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

        foreach (var (name, matrix) in CurvatureState(curvature, names))
        {
            matrix.RequiresGrad = true;
            meta.Add((name, matrix));
        }

        for (int k = 0; k < learnedStepRates.Length; k++)
        {
            for (int i = 0; i < names.Length; i++)
            {
                if (learnedStepRates[k][i] is { } rate)
                {
                    rate.RequiresGrad = true;
                    meta.Add((StepName("step_lr", k, names[i]), rate));
                }
            }
        }

        for (int k = 0; k < (stepNorm?.Steps ?? 0); k++)
        {
            for (int j = 0; j < stepNorm!.Indices.Count; j++)
            {
                int i = stepNorm.Indices[j];
                if (trained[i])
                {
                    meta.Add((StepName("step_bn", k, names[i]), stepNorm.Copy(k, j)));
                }
            }
        }

        return new Plan(rates, learnedStepRates, curvature, stepNorm, [.. meta], adapted);
    }

    /// <summary>Checks the MAML++ options against each other and the rest, naming the options in the message.</summary>
    private static void CheckPlusPlus(MamlOptions options)
    {
        string? stepwise = options.LearnPerStepLearningRates ? nameof(MamlOptions.LearnPerStepLearningRates)
            : options.PerStepBatchNormWeights ? nameof(MamlOptions.PerStepBatchNormWeights)
            : options.MultiStepLossIterations is not null ? nameof(MamlOptions.MultiStepLossIterations)
            : null;
        if (stepwise is not null && options.InnerSteps < 1)
        {
            throw new ArgumentException($"Maml: MamlOptions.{stepwise} works per inner step; it needs InnerSteps >= 1 (it is 0).", nameof(options));
        }

        if (options.LearnPerStepLearningRates
            && (options.LearnInnerLearningRates || options.StepLearningRates is not null || options.InnerOptimizer is not null))
        {
            throw new ArgumentException("Maml: MamlOptions.LearnPerStepLearningRates learns the SGD rule's rates; it cannot be combined with "
                + "LearnInnerLearningRates, StepLearningRates or InnerOptimizer.", nameof(options));
        }

        if (options.FirstOrderIterations is not null && options.FirstOrder)
        {
            throw new ArgumentException("Maml: MamlOptions.FirstOrderIterations switches from first to second order; it cannot be combined with "
                + "FirstOrder (first order throughout).", nameof(options));
        }

        if (options.TaskBatching == TaskBatching.Always && (options.MultiStepLossIterations is not null || options.PerStepBatchNormWeights))
        {
            throw new ArgumentException("Maml: TaskBatching.Always cannot be combined with MultiStepLossIterations or PerStepBatchNormWeights, "
                + "which run the meta-batch task by task; use TaskBatching.Auto or Never.", nameof(options));
        }
    }

    private sealed record Plan(
        Tensor[] Rates,
        Tensor?[][] StepRates,
        CurvatureMatrices?[] Curvature,
        StepBatchNorm? StepNorm,
        (string, Tensor)[] Meta,
        bool[] Adapted);
}
