using MetaLearn.Data;
using MetaLearn.NN;
using MetaLearn.Optim;
using MetaLearn.Tensors;

namespace MetaLearn.MetaLearning;

/// <summary>
/// Reptile (Nichol, Achiam &amp; Schulman, 2018, "On First-Order Meta-Learning Algorithms"): train a copy of the weights on
/// each task for k steps, then move the initialization towards the results, θ ← θ + ε·meanᵢ(φᵢ − θ).
/// </summary>
/// <remarks>
/// The update is an outer-optimizer step with gradient meanᵢ(θ − φᵢ) at learning rate ε, so the tasks run on the
/// <see cref="MetaBatchExecutor"/> like MAML's (parallel, bit-identical for any thread count) and any outer optimizer can
/// replace plain SGD. ε follows the outer loop's schedule (<see cref="OuterLoopOptions.Schedule"/>; the paper anneals it
/// linearly to 0 with a <see cref="LinearDecay"/>).
/// </remarks>
public sealed class Reptile : GradientMetaLearner
{
    private readonly Tensor[] _parameters;
    private readonly bool[] _trained;

    /// <summary>Creates the meta-learner around <paramref name="model"/>.</summary>
    /// <exception cref="ArgumentException">The options select no parameter.</exception>
    public Reptile(Module model, TaskLoss loss, ReptileOptions? options = null)
        : this(model, loss, options ?? new ReptileOptions(), Selected(model, options ?? new ReptileOptions()))
    {
    }

    private Reptile(Module model, TaskLoss loss, ReptileOptions options, (bool[] Trained, (string, Tensor)[] Meta) plan)
        : base(plan.Meta, options.Outer.Optimizer is null ? options.Outer with { Optimizer = p => new Sgd(p, options.OuterStepSize) } : options.Outer)
    {
        ArgumentNullException.ThrowIfNull(loss);
        Options = options;
        Model = model;
        Loss = loss;
        _parameters = [.. model.Parameters()];
        _trained = plan.Trained;
        InnerLoop = new InnerLoop(model, loss, options.InnerOptimizer ?? new DifferentiableSgd(options.InnerLearningRate), _trained, options.InnerPenalty);
    }

    /// <summary>The settings.</summary>
    public ReptileOptions Options { get; }

    /// <summary>The model whose initialization is meta-learned.</summary>
    public Module Model { get; }

    /// <summary>The inner-loop loss.</summary>
    public TaskLoss Loss { get; }

    /// <summary>The inner loop.</summary>
    public InnerLoop InnerLoop { get; }

    /// <inheritdoc/>
    public override ILearner CreateLearner() => new GradientLearner(InnerLoop, _parameters);

    /// <inheritdoc/>
    protected override TaskOutcome ComputeTask(ITask task, int index)
    {
        var examples = Options.IncludeQueryInInnerLoop ? task.Support.Concat(task.Query) : task.Support;
        var adapted = InnerLoop.Run(_parameters, examples, Options.InnerSteps, InnerLoopMode.Detached).Weights;
        using var noGrad = Tensor.NoGrad();
        double loss = Loss(Model.Forward(task.Query.Inputs, adapted), task.Query).Item();
        var gradient = new Tensor?[MetaParameters.Count];
        int m = 0;
        for (int i = 0; i < _parameters.Length; i++)
        {
            if (_trained[i])
            {
                gradient[m++] = _parameters[i] - adapted[i];
            }
        }

        return new TaskOutcome(loss, gradient);
    }

    /// <inheritdoc/>
    protected override IReadOnlyList<(string Name, Tensor Value)> ExportOwnState() => StateCheck.ExportModel(Model);

    /// <inheritdoc/>
    protected override void ImportOwnState(IReadOnlyDictionary<string, Tensor> state) => StateCheck.ImportModel(Model, state);

    private static (bool[] Trained, (string, Tensor)[] Meta) Selected(Module model, ReptileOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        var named = model.NamedParameters();
        var trained = options.Trained.Mask([.. named.Select(p => p.Name)]);
        if (!trained.Any(t => t))
        {
            throw new ArgumentException($"Reptile: ReptileOptions.Trained ({options.Trained}) selects none of the model's {named.Count} parameters.",
                nameof(options));
        }

        return (trained, [.. named.Where((_, i) => trained[i]).Select(p => ("model." + p.Name, p.Value))]);
    }
}
