using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Metric;

/// <summary>
/// Matching networks (Vinyals, Blundell, Lillicrap, Kavukcuoglu &amp; Wierstra, NeurIPS 2016): a query's label
/// distribution is an attention-weighted sum of the support set's one-hot labels, the attention a softmax over the
/// cosine similarities between the query's embedding and each support embedding.
/// </summary>
/// <remarks>
/// <para>P(y = k | q, S) = Σ_{s ∈ S, y_s = k} a(q, s), a(q, s) = exp(cos(f(q), f(s))/τ) / Σ_{s'} exp(cos(f(q), f(s'))/τ).
/// Training is episodic: a task's loss is the mean over its queries of −log P(y_q | q, S). The class scores a learner
/// predicts are log P, so the class with the most attention wins. With one shot per class the attention and the
/// classification coincide; with several, a class gathers the attention of all its examples (a sum, not the mean of
/// prototypical networks). Here f embeds support and queries alike (the paper's version without full-context
/// embeddings).</para>
/// <para>As with prototypical networks nothing is adapted per task, so a network trained on 60-way episodes is tested on
/// 5- or 20-way ones as it is; with batch-statistics batch norm, the support set and the queries are each normalized as
/// one batch.</para>
/// </remarks>
public sealed class MatchingNetworks : EmbeddingMetaLearner
{
    /// <summary>A class's probability is floored here before the log, so a class with no attention left keeps a finite score.</summary>
    private const double Floor = 1e-30;

    /// <summary>Creates the meta-learner around <paramref name="embedding"/>, whose parameters are all trained.</summary>
    /// <param name="embedding">The embedding network f, e.g. <see cref="Backbones.ConvEmbedding"/>: images to [N, D] (a larger output is flattened).</param>
    /// <param name="options">The temperature and the outer loop; defaults when null.</param>
    /// <exception cref="ArgumentException">The network has no parameter.</exception>
    public MatchingNetworks(Module embedding, MatchingOptions? options = null)
        : base(embedding, (options ?? new MatchingOptions()).Outer)
    {
        Options = options ?? new MatchingOptions();
    }

    /// <summary>The settings.</summary>
    public MatchingOptions Options { get; }

    /// <summary>The embedding network f (the same object as <see cref="EmbeddingMetaLearner.Model"/>).</summary>
    public Module Embedding => Model;

    /// <summary>
    /// The embeddings [N, D] of <paramref name="inputs"/> with the current weights (differentiable unless under
    /// <see cref="Tensor.NoGrad"/>).
    /// </summary>
    public Tensor Embed(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return FeatureVectors.Of(Model.Forward(inputs));
    }

    /// <summary>
    /// The attention [Q, S] of each query embedding [Q, D] over the support embeddings [S, D]: the softmax over the
    /// support of the cosine similarities divided by <see cref="MatchingOptions.Temperature"/>; each row sums to 1.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes disagree.</exception>
    public Tensor Attention(Tensor queryEmbeddings, Tensor supportEmbeddings)
    {
        ArgumentNullException.ThrowIfNull(queryEmbeddings);
        ArgumentNullException.ThrowIfNull(supportEmbeddings);
        return Functional.Softmax(Distances.PairwiseCosineSimilarity(queryEmbeddings, supportEmbeddings) * (1 / Options.Temperature), axis: 1);
    }

    /// <summary>
    /// The class scores [Q, C]: log P(y = k | q, S), the log of each class's share of the attention of query embeddings
    /// [Q, D] over the support embeddings [S, D] with their <paramref name="labels"/> in [0, <paramref name="classes"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The shapes disagree, a label is out of range, or a class has no support example.</exception>
    public Tensor Scores(Tensor queryEmbeddings, Tensor supportEmbeddings, IReadOnlyList<int> labels, int classes)
    {
        var attention = Attention(queryEmbeddings, supportEmbeddings);
        if (labels is null || labels.Count != supportEmbeddings.Shape[0])
        {
            throw new ArgumentException($"MatchingNetworks: {labels?.Count ?? 0} labels for {supportEmbeddings.Shape[0]} support embeddings.", nameof(labels));
        }

        var perClass = Tensor.MatMul(attention, ClassMeans.Indicator(labels, classes, attention.DType), transposeB: true);
        return perClass.Maximum(Tensor.Scalar(Floor, perClass.DType)).Log();
    }

    /// <inheritdoc/>
    public override ILearner CreateLearner() => new MatchingLearner(this);

    /// <inheritdoc/>
    protected override Tensor TaskLoss(ITask task, IReadOnlyList<Tensor> parameters)
    {
        var (support, query) = Episode(task, nameof(MatchingNetworks), nameof(task));
        var supportEmbeddings = FeatureVectors.Of(Model.Forward(support.Inputs, parameters));
        var queryEmbeddings = FeatureVectors.Of(Model.Forward(query.Inputs, parameters));
        return Losses.NegativeLogLikelihood(Scores(queryEmbeddings, supportEmbeddings, support.Labels, support.ClassCount), query.LabelArray());
    }
}
