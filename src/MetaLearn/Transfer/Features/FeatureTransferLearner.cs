using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.Metric;
using MetaLearn.NN;
using MetaLearn.Optim;
using MetaLearn.Tensors;

namespace MetaLearn.Transfer.Features;

/// <summary>
/// Feature transfer as a learner: a trained backbone maps inputs to features, and a new head (nearest centroid,
/// linear or MLP) is trained on the target task's support features. With the backbone frozen (the default) the support
/// features are computed once per <see cref="Condition"/> and every step trains the head on them; the last query batch's
/// features are kept too, so evaluating after several step counts embeds it once. Selected backbone parameters can be
/// unfrozen (<see cref="FeatureTransferOptions.UnfrozenBackbone"/>); then steps run through the whole network, the
/// backbone at a scaled learning rate.
/// </summary>
/// <remarks>
/// The backbone is any module mapping [N, ...] to [N, ...] features (flattened to [N, D]); an empty
/// <see cref="Sequential"/> makes the inputs themselves the features (embeddings computed elsewhere, such as a sentence
/// encoder's). Nothing in the backbone is changed. A backbone with batch-norm running statistics should be in evaluation
/// mode. Classification heads output one score per class; regression heads output targets [N, T].
/// </remarks>
public sealed class FeatureTransferLearner : ILearner
{
    private Examples? _support;
    private Module? _model;
    private InnerLoop? _loop;
    private Examples? _trainingExamples;
    private Tensor[] _initial = [];
    private Tensor[] _weights = [];
    private DifferentiableState? _state;
    private Tensor? _centroids;
    private Tensor? _lastInputs;
    private Tensor? _lastFeatures;

    /// <summary>Creates the learner over <paramref name="backbone"/>.</summary>
    /// <param name="backbone">The trained feature extractor (never changed).</param>
    /// <param name="options">The head and how it is trained.</param>
    public FeatureTransferLearner(Module backbone, FeatureTransferOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        Backbone = backbone;
        Options = options ?? new FeatureTransferOptions();
        var names = backbone.NamedParameters().Select(p => p.Name).ToArray();
        BackboneFrozen = !Options.UnfrozenBackbone.Mask(names).Any(m => m) || Options.BackboneLearningRateScale == 0;
    }

    /// <summary>The feature extractor.</summary>
    public Module Backbone { get; }

    /// <summary>The settings.</summary>
    public FeatureTransferOptions Options { get; }

    /// <summary>Whether no backbone parameter is trained, so features are computed once per task.</summary>
    public bool BackboneFrozen { get; }

    /// <inheritdoc/>
    public int StepsTaken { get; private set; }

    /// <summary>
    /// The weights being trained, by name, after <see cref="Condition"/>: the head's ("weight", "bias", ...) with a frozen
    /// backbone, else the backbone's ("backbone.*", frozen ones included) and the head's ("head.*"). Empty for the prototype head.
    /// </summary>
    public IReadOnlyList<(string Name, Tensor Value)> NamedWeights
        => _model is null || Options.Head == FeatureHead.Prototype ? [] : [.. _model.NamedParameters().Select((p, i) => (p.Name, _weights[i]))];

    /// <summary>How many times the backbone has embedded a batch since the learner was made (to see the caching work).</summary>
    public int BackboneCalls { get; private set; }

    /// <inheritdoc/>
    public void Condition(Examples support)
    {
        ArgumentNullException.ThrowIfNull(support);
        int outputs = support switch
        {
            ClassificationExamples c => c.ClassCount,
            RegressionExamples { Targets.Rank: 2 } r => r.Targets.Shape[1],
            RegressionExamples r
                => throw new ArgumentException($"FeatureTransferLearner: regression targets {Shapes.Format(r.Targets.Shape)} must be [N, T].",
                    nameof(support)),
            _ => throw new ArgumentException($"FeatureTransferLearner: needs classification or regression examples, got {support.GetType().Name}.",
                nameof(support)),
        };

        _support = support;
        _model = null;
        _state = null;
        _lastInputs = null;
        _lastFeatures = null;
        StepsTaken = 0;
        var features = Embed(support.Inputs);
        _centroids = support is ClassificationExamples labelled ? ClassMeans.Of(features, labelled.Labels, outputs) : null;
        if (Options.Head == FeatureHead.Prototype)
        {
            if (_centroids is null)
            {
                throw new ArgumentException("FeatureTransferLearner: the prototype head needs classification examples.", nameof(support));
            }

            return;
        }

        var head = CreateHead(features.Shape[1], outputs, features.DType);
        var loss = Options.Loss ?? TaskLosses.Auto;
        var rule = Options.CreateRule();
        if (BackboneFrozen)
        {
            _model = head;
            _trainingExamples = support is ClassificationExamples c ? Examples.Classification(features, c.Labels)
                : Examples.Regression(features, ((RegressionExamples)support).Targets);
            _loop = new InnerLoop(head, loss, rule);
            _initial = [.. head.Parameters()];
        }
        else
        {
            var model = new BackboneWithHead(Backbone, head, Options.NormalizeFeatures);
            var named = model.NamedParameters();
            var adapted = named.Select(p => !p.Name.StartsWith(BackboneWithHead.BackbonePrefix, StringComparison.Ordinal)
                || Options.UnfrozenBackbone.Contains(p.Name[BackboneWithHead.BackbonePrefix.Length..])).ToArray();
            var scales = named.Select(p => p.Name.StartsWith(BackboneWithHead.BackbonePrefix, StringComparison.Ordinal)
                ? Options.BackboneLearningRateScale : 1.0).ToArray();
            _model = model;
            _trainingExamples = support;
            _loop = new InnerLoop(model, loss, new LayerwiseOptimizer(rule, scales), adapted);
            _initial = [.. model.Parameters()];
        }

        _weights = [.. _initial];
    }

    /// <inheritdoc/>
    public void Adapt(int steps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        if (_support is null)
        {
            throw new InvalidOperationException("Adapt: call Condition with the task's support set first.");
        }

        if (steps > 0 && _loop is not null)
        {
            (_weights, _state) = _loop.Run(_weights, _trainingExamples!, steps, InnerLoopMode.Detached, _state);
        }

        StepsTaken += steps;
    }

    /// <inheritdoc/>
    public Tensor Predict(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (_support is null)
        {
            throw new InvalidOperationException("Predict: call Condition with the task's support set first.");
        }

        using var noGrad = Tensor.NoGrad();
        if (Options.Head == FeatureHead.Prototype)
        {
            return PrototypicalNetworks.Scores(CachedFeatures(inputs), _centroids!);
        }

        return BackboneFrozen ? _model!.Forward(CachedFeatures(inputs), _weights) : _model!.Forward(inputs, _weights);
    }

    /// <summary>Flattens backbone outputs to [N, D] and optionally scales each row to unit length.</summary>
    private Tensor CachedFeatures(Tensor inputs)
    {
        if (!ReferenceEquals(inputs, _lastInputs))
        {
            _lastFeatures = Embed(inputs);
            _lastInputs = inputs;
        }

        return _lastFeatures!;
    }

    private Tensor Embed(Tensor inputs)
    {
        using var noGrad = Tensor.NoGrad();
        BackboneCalls++;
        return FeatureVectors.Of(Backbone.Forward(inputs), Options.NormalizeFeatures);
    }

    private Module CreateHead(int features, int outputs, DType dtype)
    {
        var generator = new Generator(Options.Seed);
        if (Options.Head == FeatureHead.Mlp)
        {
            return Backbones.Mlp([features, Options.HiddenWidth, outputs], ActivationKind.Relu, generator, dtype);
        }

        var linear = new Linear(features, outputs, generator, dtype: dtype);
        if (Options.InitializeFromPrototypes && _centroids is { } centroids)
        {
            // −‖x − c‖² = 2c·x − ‖c‖² − ‖x‖²; the last term is the same for every class, so this linear layer ranks
            // classes exactly as the nearest centroid does.
            Init.Assign(linear.Parameters()[0], centroids * 2);
            Init.Assign(linear.Parameters()[1], -centroids.Square().Sum(-1));
        }

        return linear;
    }
}
