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
    /// <summary>The mean probability of a class with no support example, floored so its score stays finite.</summary>
    private const double EmptyClassFloor = 1e-30;

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
            throw new ArgumentException($"SiameseNetwork.Score: the second images {Shapes.Format(second.Shape)} must be shaped like the "
                + $"first {Shapes.Format(first.Shape)}.", nameof(second));
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
    /// <remarks>
    /// A task of pairs (<see cref="PairSampler"/>) trains the "same" score on its support and query pairs together (Koch et
    /// al.). An N-way episode (support and query <see cref="ClassificationExamples"/>, e.g. from <see cref="FewShotSampler"/>)
    /// trains the one-shot decision itself: the N-way cross-entropy of the class scores the learner predicts with, the log
    /// of each class's mean "same" probability over its support examples. Episodes after pairs fine-tune the learned
    /// distance for the episodic decision it is used for.
    /// </remarks>
    protected override Tensor TaskLoss(ITask task, IReadOnlyList<Tensor> parameters)
    {
        if (task.Support is ClassificationExamples && task.Query is ClassificationExamples)
        {
            var (support, query) = Episode(task, nameof(SiameseNetwork), nameof(task));
            return EpisodeLoss(support, query, parameters);
        }

        var pairs = task.Support.Concat(task.Query) as PairExamples
            ?? throw new ArgumentException($"SiameseNetwork: trains on pair examples (PairSampler) or on N-way episodes (classification support and query), "
                + $"got a {task.Support.GetType().Name} support and a {task.Query.GetType().Name} query.", nameof(task));
        var view = new ParameterView(parameters);
        var first = _model.Forward(pairs.Inputs, view);
        var second = _model.Forward(pairs.Second, view);
        var targets = pairs.SameTargets().AsType(first.DType);
        return Options.Loss == SiameseLoss.Contrastive
            ? Losses.Contrastive(first, second, targets, Options.Margin)
            : Losses.BinaryCrossEntropyWithLogits(RowLogits(first, second, parameters), targets);
    }

    /// <summary>
    /// The class scores [Q, C] of pair logits [Q, S] with the averaging matrix [C, S] of the support's labels: the log of
    /// each class's mean "same" probability, log((1/K_c)·Σ_{s∈c} σ(l_qs)).
    /// </summary>
    /// <remarks>
    /// Computed as M_qc + log Σ_{s∈c} A_cs·exp(log σ(l_qs) − M_qc), with log σ(l) = −softplus(−l) and M_qc the largest
    /// log σ of class c's examples (a constant: the result does not depend on it), so a class whose probabilities all
    /// underflow in float32 (logits below about −87) keeps its exact score and its gradient. A class with no support
    /// example scores log(1e-30).
    /// </remarks>
    internal static Tensor ClassScores(Tensor pairLogits, Tensor averaging)
    {
        var logScores = -(-pairLogits).Softplus();
        var (shift, offset) = ClassMaxima(logScores, averaging);
        var terms = (logScores.Unsqueeze(1) - offset).Exp() * averaging.Unsqueeze(0);
        return terms.Sum(2).Maximum(Tensor.Scalar(EmptyClassFloor, terms.DType)).Log() + shift;
    }

    /// <summary>
    /// M [Q, C], each class's largest value of <paramref name="logScores"/> [Q, S] (0 for a class with no example), and
    /// the offsets [Q, C, S] to subtract before exp: M_qc where s belongs to c, M_qc + 1e30 elsewhere, so the other
    /// classes' terms vanish instead of overflowing.
    /// </summary>
    private static (Tensor Shift, Tensor Offset) ClassMaxima(Tensor logScores, Tensor averaging)
    {
        int queries = logScores.Shape[0], support = logScores.Shape[1], classes = averaging.Shape[0];
        var values = logScores.ToDoubleArray();
        var weights = averaging.ToDoubleArray();
        var shift = new double[queries * classes];
        var offset = new double[queries * classes * support];
        for (int q = 0; q < queries; q++)
        {
            for (int c = 0; c < classes; c++)
            {
                double top = double.NegativeInfinity;
                for (int k = 0; k < support; k++)
                {
                    if (weights[(c * support) + k] > 0)
                    {
                        top = Math.Max(top, values[(q * support) + k]);
                    }
                }

                top = double.IsNegativeInfinity(top) ? 0 : top;
                shift[(q * classes) + c] = top;
                for (int k = 0; k < support; k++)
                {
                    offset[(((q * classes) + c) * support) + k] = weights[(c * support) + k] > 0 ? top : top + 1e30;
                }
            }
        }

        return (Tensor.FromArray(shift, queries, classes).AsType(logScores.DType), Tensor.FromArray(offset, queries, classes, support).AsType(logScores.DType));
    }

    private Tensor EpisodeLoss(ClassificationExamples support, ClassificationExamples query, IReadOnlyList<Tensor> parameters)
    {
        var view = new ParameterView(parameters);
        var supportEmbeddings = _model.Forward(support.Inputs, view);
        var queryEmbeddings = _model.Forward(query.Inputs, view);
        var logits = PairLogits(queryEmbeddings, supportEmbeddings, parameters);
        var averaging = ClassMeans.Matrix(support.Labels, support.ClassCount, logits.DType);
        return Losses.CrossEntropy(ClassScores(logits, averaging), query.LabelArray());
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
            throw new ArgumentException($"SiameseNetwork: embeddings {Shapes.Format(first.Shape)} and {Shapes.Format(second.Shape)} "
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
