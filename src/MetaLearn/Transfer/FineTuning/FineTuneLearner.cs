using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Transfer.FineTuning;

/// <summary>
/// Parameter transfer as a learner: the model starts from transferred weights (see <see cref="ParameterTransfer"/>) and
/// is fine-tuned on each task's support set with optional layer-wise learning rates and L2-SP toward the transferred
/// weights, so that few-shot fine-tuning does not drift far from what the source learned. The model itself is never
/// changed: every task starts again from the transferred weights.
/// </summary>
/// <remarks>
/// L2-SP: Li, Grandvalet &amp; Davoine (ICML 2018), "Explicit Inductive Bias for Transfer Learning with Convolutional
/// Networks". The steps run through <see cref="InnerLoop"/> in <see cref="InnerLoopMode.Detached"/> mode. A model with
/// batch-norm running statistics should be in evaluation mode, so its buffers are read, never written.
/// </remarks>
public sealed class FineTuneLearner : IAdaptedModelLearner
{
    private readonly GradientLearner _learner;

    /// <summary>Creates the learner around <paramref name="model"/>, whose current parameters are the transferred starting point.</summary>
    /// <param name="model">The target model, already holding the transferred weights.</param>
    /// <param name="anchors">
    /// The source value of each parameter (<see cref="TransferReport.Anchors"/>; null entries have no source); null
    /// takes every parameter's current value as its source. Only read when L2-SP is on.
    /// </param>
    /// <param name="options">The rule, rates, trained selection and L2-SP strengths.</param>
    /// <exception cref="ArgumentException">No parameter is trained, or the anchors do not match the model's parameters.</exception>
    public FineTuneLearner(Module model, IReadOnlyList<Tensor?>? anchors = null, FineTuneOptions? options = null)
        : this(model, null, anchors, options)
    {
    }

    /// <summary>Creates the learner around <paramref name="model"/>, starting every task from <paramref name="start"/> (e.g. another source's
    /// weights).</summary>
    /// <param name="model">The target model (its own parameters are not used when <paramref name="start"/> is given).</param>
    /// <param name="start">The starting weights, one per model parameter; null for the model's own.</param>
    /// <param name="anchors">The L2-SP anchors (null entries have no source); null takes the starting weights.</param>
    /// <param name="options">The rule, rates, trained selection and L2-SP strengths.</param>
    /// <exception cref="ArgumentException">No parameter is trained, or the weights or anchors do not match the model's parameters.</exception>
    public FineTuneLearner(Module model, IReadOnlyList<Tensor>? start, IReadOnlyList<Tensor?>? anchors, FineTuneOptions? options)
    {
        ArgumentNullException.ThrowIfNull(model);
        Options = options ?? new FineTuneOptions();
        Model = model;
        var named = model.NamedParameters();
        if (anchors is not null && anchors.Count != named.Count)
        {
            throw new ArgumentException($"FineTuneLearner: {anchors.Count} anchors for the model's {named.Count} parameters.", nameof(anchors));
        }

        if (start is not null && (start.Count != named.Count || start.Where((w, i) => !w.Shape.SequenceEqual(named[i].Value.Shape)).Any()))
        {
            throw new ArgumentException($"FineTuneLearner: the {start.Count} starting weights do not match the shapes of the model's "
                + $"{named.Count} parameters.", nameof(start));
        }

        var initial = start?.ToArray() ?? [.. model.Parameters()];
        var scales = Options.LayerRates.Scales(model);
        var trained = Options.Trained.Mask([.. named.Select(p => p.Name)]);
        var adapted = trained.Select((t, i) => t && scales[i] > 0).ToArray();
        if (!adapted.Any(a => a))
        {
            throw new ArgumentException($"FineTuneLearner: {Options.Trained} selects no parameter of the model at a positive rate.", nameof(options));
        }

        ParameterPenalty? penalty = null;
        if (Options.L2SPAlpha > 0 || Options.L2SPBeta > 0)
        {
            penalty = Penalties.L2SP(anchors ?? [.. initial], Options.L2SPAlpha, Options.L2SPBeta);
        }

        var loop = new InnerLoop(model, Options.Loss ?? TaskLosses.Auto, new LayerwiseOptimizer(Options.CreateRule(), scales), adapted, penalty);
        _learner = new GradientLearner(loop, initial);
    }

    /// <summary>The model (holding the transferred weights, never changed).</summary>
    public Module Model { get; }

    /// <summary>The settings.</summary>
    public FineTuneOptions Options { get; }

    /// <inheritdoc/>
    public int StepsTaken => _learner.StepsTaken;

    /// <summary>The current weights: the transferred ones after <see cref="Condition"/>, then the fine-tuned ones.</summary>
    public IReadOnlyList<Tensor> Weights => _learner.Weights;

    /// <inheritdoc/>
    public void Condition(Examples support) => _learner.Condition(support);

    /// <inheritdoc/>
    public void Adapt(int steps) => _learner.Adapt(steps);

    /// <inheritdoc/>
    public Tensor Predict(Tensor inputs) => _learner.Predict(inputs);

    /// <inheritdoc/>
    public AdaptedModel AdaptedModel() => _learner.AdaptedModel();
}
