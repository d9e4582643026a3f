using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Metric;

/// <summary>
/// A relation network (Sung, Yang, Zhang, Xiang, Torr &amp; Hospedales, CVPR 2018, "Learning to Compare: Relation Network
/// for Few-Shot Learning"): an embedding module f maps each input to features, and a relation module g scores a pair
/// from their concatenation, r(x, y) = g([f(x), f(y)]). The score is a logit (the paper's sigmoid is applied by the loss).
/// </summary>
/// <remarks>
/// <para>A metric meta-learner like <see cref="PrototypicalNetworks"/>: trained episode by episode with
/// <see cref="MetaTrainer"/>, the loss of a task relating each query to the support set (the cross-entropy of the class
/// scores, or Sung et al.'s pairwise objective: <see cref="RelationOptions.ClassCrossEntropy"/>), with the outer loop
/// the user chose (<see cref="RelationOptions.Outer"/>). Its learner scores a query's class by its mean relation with
/// the class's examples; <c>RelationTransferLearner</c> also fine-tunes the relation on a target task's pairs.</para>
/// <para>Parameters are "embedding.*" then "relation.*" in <see cref="Network"/> ("model.embedding.*" and
/// "model.relation.*" in the state). The relation module takes [P, 2D] (flattened features side by side) and returns
/// [P, 1]; the paper's Omniglot relation module convolves the stacked feature maps, this one is any module on flattened
/// features (an MLP by <see cref="Create"/>). <see cref="Network"/>'s <c>Forward</c> scores pairs stacked on axis 1
/// ([N, 2, ...] → [N]); <see cref="Relate"/> embeds each query and reference once and scores all pairs.</para>
/// </remarks>
public sealed class RelationNetwork : EmbeddingMetaLearner, IRelationFunction
{
    private readonly RelationModel _model;

    /// <summary>Creates the network from its two parts.</summary>
    /// <param name="embedding">f: [N, ...] → [N, ...] features (flattened to [N, D]).</param>
    /// <param name="relation">g: [P, 2D] → [P, 1] logits.</param>
    /// <param name="options">The outer loop and the objective; defaults when null.</param>
    public RelationNetwork(Module embedding, Module relation, RelationOptions? options = null)
        : this(new RelationModel(embedding, relation), options ?? new RelationOptions())
    {
    }

    private RelationNetwork(RelationModel model, RelationOptions options)
        : base(model, options.Outer)
    {
        _model = model;
        Options = options;
    }

    /// <summary>The settings.</summary>
    public RelationOptions Options { get; }

    /// <summary>f, the embedding module.</summary>
    public Module Embedding => _model.Embedding;

    /// <summary>g, the relation module.</summary>
    public Module Relation => _model.Relation;

    /// <summary>The module that owns the parameters (the same object as <see cref="EmbeddingMetaLearner.Model"/>).</summary>
    public Module Network => Model;

    /// <summary>A relation network with <paramref name="embedding"/> producing <paramref name="features"/> features and an MLP relation module 2D →
    /// hidden → 1.</summary>
    /// <param name="embedding">f.</param>
    /// <param name="features">D, the flattened feature length f produces.</param>
    /// <param name="hidden">The relation MLP's hidden width (Sung et al. use 8 on Omniglot).</param>
    /// <param name="generator">The random source of the relation module's initialization.</param>
    /// <param name="dtype">Element type of the relation module.</param>
    /// <param name="options">The outer loop and the objective; defaults when null.</param>
    public static RelationNetwork Create(Module embedding, int features, int hidden, Generator generator, DType dtype = DType.Float32,
        RelationOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hidden, 1);
        return new RelationNetwork(embedding, Backbones.Mlp([2 * features, hidden, 1], ActivationKind.Relu, generator, dtype), options);
    }

    /// <inheritdoc/>
    public Tensor Relate(Tensor queries, Tensor references, IReadOnlyList<Tensor> weights)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(references);
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Count != Model.Parameters().Count)
        {
            throw new ArgumentException($"RelationNetwork.Relate: {weights.Count} weights for {Model.Parameters().Count} parameters.", nameof(weights));
        }

        return _model.Relate(queries, references, new ParameterView(weights));
    }

    /// <inheritdoc/>
    public override ILearner CreateLearner() => new RelationLearner(this);

    /// <inheritdoc/>
    protected override Tensor TaskLoss(ITask task, IReadOnlyList<Tensor> parameters)
    {
        var support = Classification(task.Support, nameof(RelationNetwork), nameof(task));
        var query = Classification(task.Query, nameof(RelationNetwork), nameof(task));
        var relations = _model.Relate(query.Inputs, support.Inputs, new ParameterView(parameters));
        return Options.ClassCrossEntropy
            ? Losses.CrossEntropy(RelationScores.ForClasses(relations, support.Labels, support.ClassCount), query.LabelArray())
            : RelationScores.PairLoss(relations, query.Labels, support.Labels);
    }
}
