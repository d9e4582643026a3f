using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Metric;

/// <summary>
/// Prototypical networks (Snell, Swersky &amp; Zemel, NeurIPS 2017): each class is represented by the mean embedding of its
/// support examples (its prototype), and a query is scored by the negative squared Euclidean distance to each prototype.
/// </summary>
/// <remarks>
/// Training is episodic: the loss of a task is the cross-entropy of softmax(−‖f(x) − c_k‖²) over the query set, with
/// c_k = mean of f over class k's support examples. Nothing is adapted per task, so a model trained on 60-way episodes
/// (the paper's choice for Omniglot) is tested on 5- or 20-way tasks as it is. The embedding network f maps images
/// [N, C, H, W] to [N, D] (a larger output is flattened); with batch-statistics batch norm, the support set and the
/// queries are each normalized as one batch, in training and in evaluation, so predict whole query sets at once.
/// </remarks>
public sealed class PrototypicalNetworks : EmbeddingMetaLearner
{
    /// <summary>Creates the meta-learner around <paramref name="embedding"/>, whose parameters are all trained.</summary>
    /// <param name="embedding">The embedding network f, e.g. <see cref="Backbones.ConvEmbedding"/>.</param>
    /// <param name="options">The outer loop; defaults when null.</param>
    /// <exception cref="ArgumentException">The network has no parameter.</exception>
    public PrototypicalNetworks(Module embedding, PrototypicalOptions? options = null)
        : base(embedding, (options ?? new PrototypicalOptions()).Outer)
    {
        Options = options ?? new PrototypicalOptions();
    }

    /// <summary>The settings.</summary>
    public PrototypicalOptions Options { get; }

    /// <summary>The embedding network f (the same object as <see cref="EmbeddingMetaLearner.Model"/>).</summary>
    public Module Embedding => Model;

    /// <summary>Class scores [Q, N]: −‖q_i − c_k‖² between query embeddings [Q, D] and prototypes [N, D].</summary>
    /// <exception cref="ArgumentException">The shapes disagree.</exception>
    public static Tensor Scores(Tensor queryEmbeddings, Tensor prototypes) => -Distances.PairwiseSquaredEuclidean(queryEmbeddings, prototypes);

    /// <summary>The embeddings [N, D] of <paramref name="images"/> with the current weights (differentiable unless called under
    /// <see cref="Tensor.NoGrad"/>).</summary>
    public Tensor Embed(Tensor images) => Embed(images, Model.Parameters());

    /// <summary>The prototypes [N, D] of a support set: the mean embedding of each class, with the current weights.</summary>
    /// <exception cref="ArgumentException">A class below the largest label has no example.</exception>
    public Tensor Prototypes(ClassificationExamples support)
    {
        ArgumentNullException.ThrowIfNull(support);
        return ClassMeans.Of(Embed(support.Inputs), support);
    }

    /// <inheritdoc/>
    public override ILearner CreateLearner() => new PrototypicalLearner(this);

    /// <inheritdoc/>
    protected override Tensor TaskLoss(ITask task, IReadOnlyList<Tensor> parameters)
    {
        var support = Classification(task.Support, nameof(PrototypicalNetworks), nameof(task));
        var query = Classification(task.Query, nameof(PrototypicalNetworks), nameof(task));
        var prototypes = ClassMeans.Of(Embed(support.Inputs, parameters), support);
        return Losses.CrossEntropy(Scores(Embed(query.Inputs, parameters), prototypes), query.LabelArray());
    }

    private Tensor Embed(Tensor images, IReadOnlyList<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(images);
        return FeatureVectors.Of(Model.Forward(images, parameters));
    }
}
