using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Metric;

/// <summary>
/// The Siamese metric learner of Koch, Zemel &amp; Salakhutdinov (2015), "Siamese Neural Networks for One-shot Image
/// Recognition": one embedding network applied to both images of a pair, a learned weighted L1 distance between the two
/// embeddings, and a sigmoid "same" score, trained on balanced same/different pairs (<see cref="PairSampler"/>).
/// </summary>
/// <remarks>
/// <para>The score of a pair is p = σ(Σⱼ wⱼ·|h₁ⱼ − h₂ⱼ| + b), with h = f(x) the embedding and (w, b) the head
/// (<see cref="Head"/>, a Linear(D, 1) over |h₁ − h₂|). Training minimizes the binary cross-entropy of p on the pairs of a
/// task's support and query sets together, or the contrastive loss (<see cref="SiameseOptions.Loss"/>). Koch et al.'s
/// affine distortions are a data option that works for every method: <see cref="Data.Images.DistortedTasks"/>.</para>
/// <para>As a few-shot learner it conditions on a support set by storing its embeddings and scores each query against
/// every support example; in N-way K-shot a class's score is the log of its examples' mean p, so the best-scoring
/// class wins (for K = 1, the best-scoring support example). With batch-statistics batch norm the support set, the
/// queries, and each side of the pairs are normalized as one batch each, in training and after: pass whole sets.</para>
/// </remarks>
public sealed class SiameseNetwork : EmbeddingMetaLearner
{
    private readonly SiameseModel _model;

    /// <summary>Creates the network around <paramref name="embedding"/>, with a new weighted-L1 head.</summary>
    /// <param name="embedding">The shared embedding network f: images [N, C, H, W] to [N, D] (a larger output is flattened).</param>
    /// <param name="embeddingSize">D, the length of an embedding.</param>
    /// <param name="generator">The random source of the head's initialization (PyTorch's default Linear init).</param>
    /// <param name="options">Loss and outer loop; defaults when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="embeddingSize"/> is not positive.</exception>
    public SiameseNetwork(Module embedding, int embeddingSize, Generator generator, SiameseOptions? options = null)
        : this(CreateModel(embedding, embeddingSize, generator), options ?? new SiameseOptions())
    {
    }

    private SiameseNetwork(SiameseModel model, SiameseOptions options)
        : base(model, options.Outer)
    {
        _model = model;
        Options = options;
    }

    /// <summary>The settings.</summary>
    public SiameseOptions Options { get; }

    /// <summary>The shared embedding network f; its parameters are "model.embedding.NAME" in the state.</summary>
    public Module Embedding => _model.Embedding;

    /// <summary>The head: the weighted L1 distance w·|h₁ − h₂| + b as a Linear(D, 1) over |h₁ − h₂| ("model.head.weight", "model.head.bias").</summary>
    public Linear Head => _model.Head;

    /// <summary>The embeddings [N, D] of <paramref name="images"/> [N, C, H, W] with the current weights (differentiable unless under
    /// <see cref="Tensor.NoGrad"/>).</summary>
    public Tensor Embed(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        return _model.Forward(images);
    }

    /// <summary>The "same" logits [N] of the row pairs of two embedding sets [N, D]: the head's, or m/2 − d under contrastive loss.</summary>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public Tensor ScoreLogits(Tensor first, Tensor second) => RowLogits(first, second, _model.Parameters());

    /// <summary>The "same" logits [Q, S] of every pair of a query embedding [Q, D] and a support embedding [S, D].</summary>
    /// <exception cref="ArgumentException">The shapes disagree.</exception>
    public Tensor PairLogits(Tensor queryEmbeddings, Tensor supportEmbeddings)
    {
        ArgumentNullException.ThrowIfNull(queryEmbeddings);
        ArgumentNullException.ThrowIfNull(supportEmbeddings);
        return PairLogits(queryEmbeddings, supportEmbeddings, _model.Parameters());
    }

    /// <summary>
    /// <see cref="PairLogits(Tensor, Tensor)"/> with the weights <paramref name="parameters"/> (one per parameter of
    /// <see cref="EmbeddingMetaLearner.Model"/>, in its order) instead of the network's own, so that a caller can
    /// fine-tune a copy (the relation-transfer adapter does).
    /// </summary>
    internal Tensor PairLogits(Tensor queryEmbeddings, Tensor supportEmbeddings, IReadOnlyList<Tensor> parameters)
    {
        CheckEmbeddings(queryEmbeddings, supportEmbeddings, sameCount: false);
        return Options.Loss == SiameseLoss.Contrastive
            ? (Options.Margin / 2) - Distances.PairwiseEuclidean(queryEmbeddings, supportEmbeddings)
            : _model.PairLogits(queryEmbeddings, supportEmbeddings, new ParameterView(parameters));
    }

    /// <summary>The probability [N] that each pair (first[i], second[i]) of images shows one class, without recording a graph.</summary>
    /// <exception cref="ArgumentException">The two batches differ in shape.</exception>
    public Tensor Score(Tensor first, Tensor second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (!first.Shape.SequenceEqual(second.Shape))
        {
            throw new ArgumentException($"SiameseNetwork.Score: the second images [{string.Join(", ", second.Shape)}] must be shaped like the "
                + $"first [{string.Join(", ", first.Shape)}].", nameof(second));
        }

        using var noGrad = Tensor.NoGrad();
        return ScoreLogits(Embed(first), Embed(second)).Sigmoid();
    }

    /// <summary>Judges each pair (first[i], second[i]): same class when its score reaches <paramref name="threshold"/>.</summary>
    /// <param name="first">The first images [N, C, H, W] (one batch).</param>
    /// <param name="second">The second images, shaped like <paramref name="first"/>.</param>
    /// <param name="threshold">The score from which a pair counts as the same class, in [0, 1] (0.5).</param>
    /// <exception cref="ArgumentOutOfRangeException">The threshold is outside [0, 1].</exception>
    /// <exception cref="ArgumentException">The two batches differ in shape.</exception>
    public IReadOnlyList<PairVerification> Verify(Tensor first, Tensor second, double threshold = 0.5)
    {
        if (!(threshold >= 0 && threshold <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "SiameseNetwork.Verify: the threshold must be in [0, 1].");
        }

        var scores = Score(first, second).ToDoubleArray();
        return [.. scores.Select(s => new PairVerification(s >= threshold, s))];
    }

    /// <inheritdoc/>
    public override ILearner CreateLearner() => new SiameseLearner(this);

    /// <inheritdoc/>
    protected override Tensor TaskLoss(ITask task, IReadOnlyList<Tensor> parameters)
    {
        var pairs = task.Support.Concat(task.Query) as PairExamples
            ?? throw new ArgumentException($"SiameseNetwork: trains on pair examples (PairSampler), got {task.Support.GetType().Name}.", nameof(task));
        var view = new ParameterView(parameters);
        var first = _model.Forward(pairs.Inputs, view);
        var second = _model.Forward(pairs.Second, view);
        var targets = pairs.SameTargets().AsType(first.DType);
        return Options.Loss == SiameseLoss.Contrastive
            ? Losses.Contrastive(first, second, targets, Options.Margin)
            : Losses.BinaryCrossEntropyWithLogits(RowLogits(first, second, parameters), targets);
    }

    private Tensor RowLogits(Tensor first, Tensor second, IReadOnlyList<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        CheckEmbeddings(first, second, sameCount: true);
        return Options.Loss == SiameseLoss.Contrastive
            ? (Options.Margin / 2) - Distances.Euclidean(first, second)
            : _model.RowLogits(first, second, new ParameterView(parameters));
    }

    private void CheckEmbeddings(Tensor first, Tensor second, bool sameCount)
    {
        int size = Head.InFeatures;
        if (first.Rank != 2 || second.Rank != 2 || first.Shape[1] != size || second.Shape[1] != size || (sameCount && first.Shape[0] != second.Shape[0]))
        {
            throw new ArgumentException($"SiameseNetwork: embeddings [{string.Join(", ", first.Shape)}] and [{string.Join(", ", second.Shape)}] "
                + $"must be [N, {size}]{(sameCount ? " with equal N" : string.Empty)}; is the embedding size right for this network and image size?",
                    nameof(second));
        }
    }

    private static SiameseModel CreateModel(Module embedding, int embeddingSize, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentOutOfRangeException.ThrowIfLessThan(embeddingSize, 1);
        return new SiameseModel(embedding,
            new Linear(embeddingSize, 1, generator, dtype: embedding.Parameters().Count > 0 ? embedding.Parameters()[0].DType : DType.Float32));
    }
}
