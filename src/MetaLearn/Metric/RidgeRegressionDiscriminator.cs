using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Metric;

/// <summary>
/// R2-D2, the ridge-regression differentiable discriminator (Bertinetto, Henriques, Torr &amp; Vedaldi, ICLR 2019,
/// "Meta-learning with differentiable closed-form solvers"): each episode fits a ridge regression from the support
/// embeddings to their one-hot labels in closed form, and the query logits are the regression's outputs, scaled.
/// </summary>
/// <remarks>
/// <para>With support embeddings X [n, d], one-hot targets Y [n, w] and query embeddings Q, the weights are
/// W = (XᵀX + λI_d)⁻¹XᵀY, solved as W = Xᵀ(XXᵀ + λI_n)⁻¹Y (the Woodbury identity) when n &lt; d, so the system is the
/// size of the support set rather than of the embedding; the logits are α·(Q·W) + β and the loss their cross-entropy over
/// the queries. The solve is <see cref="Tensor.SolveSpd"/>, differentiable in X and λ, so the embedding is trained through
/// the regression; α, β and λ are meta-learned with it (α and λ as logarithms, to stay positive). Under the softmax
/// cross-entropy a scalar β shifts every logit alike and gets no gradient; it is kept as in the paper, for logits read
/// on their own.</para>
/// <para>Parameters are "logScale", "bias", "logLambda" then "embedding.*" in <see cref="EmbeddingMetaLearner.Model"/>
/// ("model.logScale", ... in the state). As with prototypical networks nothing is adapted by steps, so a network trained
/// on wide episodes is tested on 5- or 20-way ones as it is.</para>
/// </remarks>
public sealed class RidgeRegressionDiscriminator : EmbeddingMetaLearner
{
    private readonly RidgeRegressionModel _model;

    /// <summary>Creates the meta-learner around <paramref name="embedding"/>, whose parameters are all trained with α, β and λ.</summary>
    /// <param name="embedding">The embedding network, e.g. <see cref="Backbones.ConvEmbedding"/>: images to [N, D] (a larger output is flattened).
    /// The scalars take the dtype of its first parameter.</param>
    /// <param name="options">The starting λ and α and the outer loop; defaults when null.</param>
    /// <exception cref="ArgumentException">The network has no parameter.</exception>
    public RidgeRegressionDiscriminator(Module embedding, RidgeRegressionOptions? options = null)
        : this(new RidgeRegressionModel(embedding, options ?? new RidgeRegressionOptions()), options ?? new RidgeRegressionOptions())
    {
    }

    private RidgeRegressionDiscriminator(RidgeRegressionModel model, RidgeRegressionOptions options)
        : base(model, options.Outer)
    {
        _model = model;
        Options = options;
    }

    /// <summary>The settings.</summary>
    public RidgeRegressionOptions Options { get; }

    /// <summary>The embedding network.</summary>
    public Module Embedding => _model.Embedding;

    /// <summary>α, the current scale of the logits.</summary>
    public double Scale => Current().Scale;

    /// <summary>β, the current shift of the logits.</summary>
    public double Bias => Current().Bias;

    /// <summary>λ, the current ridge penalty.</summary>
    public double Lambda => Current().Lambda;

    /// <summary>
    /// The ridge-regression weights W [d, w] = argmin ‖X·W − Y‖² + λ‖W‖² of <paramref name="features"/> X [n, d] onto
    /// <paramref name="targets"/> Y [n, w]: Xᵀ(XXᵀ + λI)⁻¹Y when n &lt; d, (XᵀX + λI)⁻¹XᵀY otherwise; differentiable in all three.
    /// </summary>
    /// <param name="features">X [n, d], one row per example.</param>
    /// <param name="targets">Y [n, w], of X's dtype.</param>
    /// <param name="lambda">λ, a one-element tensor of X's dtype; positive.</param>
    /// <exception cref="ArgumentException">The shapes or dtypes disagree, or λ is not one positive element.</exception>
    public static Tensor RidgeWeights(Tensor features, Tensor targets, Tensor lambda)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(lambda);
        if (features.Rank != 2 || features.Shape[0] == 0)
        {
            throw new ArgumentException($"RidgeWeights: features must be [n, d] with n ≥ 1, got {Shapes.Format(features.Shape)}.", nameof(features));
        }

        if (targets.Rank != 2 || targets.Shape[0] != features.Shape[0] || targets.DType != features.DType)
        {
            throw new ArgumentException($"RidgeWeights: targets must be [n, w] {features.DType} with n = {features.Shape[0]} rows as the features, got "
                + $"{Shapes.Format(targets.Shape)} {targets.DType}.", nameof(targets));
        }

        if (lambda.Count != 1 || lambda.DType != features.DType || !(lambda.Item() > 0))
        {
            throw new ArgumentException($"RidgeWeights: lambda must be one positive {features.DType} element, got {Shapes.Format(lambda.Shape)} "
                + $"{lambda.DType}{(lambda.Count == 1 ? $" = {lambda.Item()}" : string.Empty)}.", nameof(lambda));
        }

        int n = features.Shape[0];
        int d = features.Shape[1];
        var penalty = lambda.Reshape() * Tensor.Identity(Math.Min(n, d), features.DType);
        return n < d
            ? Tensor.MatMul(features, Tensor.SolveSpd(Tensor.MatMul(features, features, transposeB: true) + penalty, targets), transposeA: true)
            : Tensor.SolveSpd(Tensor.MatMul(features, features, transposeA: true) + penalty, Tensor.MatMul(features, targets, transposeA: true));
    }

    /// <summary>
    /// The embeddings [N, D] of <paramref name="inputs"/> with the current weights (differentiable unless under
    /// <see cref="Tensor.NoGrad"/>).
    /// </summary>
    public Tensor Embed(Tensor inputs) => _model.Forward(inputs);

    /// <summary>
    /// The class logits [Q, C]: α·(Q·W) + β for query embeddings [Q, D], with W the ridge weights of the support
    /// embeddings [S, D] onto their one-hot <paramref name="labels"/> in [0, <paramref name="classes"/>), under the current α, β, λ.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes disagree, a label is out of range, or a class has no support example.</exception>
    public Tensor Scores(Tensor queryEmbeddings, Tensor supportEmbeddings, IReadOnlyList<int> labels, int classes) =>
        Logits(queryEmbeddings, RidgeWeights(supportEmbeddings, labels, classes));

    /// <inheritdoc/>
    public override ILearner CreateLearner() => new RidgeRegressionLearner(this);

    /// <summary>The ridge weights [D, C] of support embeddings onto their one-hot labels, with the current λ.</summary>
    internal Tensor RidgeWeights(Tensor supportEmbeddings, IReadOnlyList<int> labels, int classes) =>
        RidgeWeights(supportEmbeddings, labels, classes, Scalars().Lambda);

    /// <summary>α·(Q·W) + β with the current α and β.</summary>
    internal Tensor Logits(Tensor queryEmbeddings, Tensor weights)
    {
        ArgumentNullException.ThrowIfNull(queryEmbeddings);
        var (scale, bias, _) = Scalars();
        return Logits(queryEmbeddings, weights, scale, bias);
    }

    /// <inheritdoc/>
    protected override Tensor TaskLoss(ITask task, IReadOnlyList<Tensor> parameters)
    {
        var (support, query) = Episode(task, nameof(RidgeRegressionDiscriminator), nameof(task));
        var view = new ParameterView(parameters);
        var (scale, bias, lambda) = RidgeRegressionModel.Scalars(view);
        var weights = RidgeWeights(_model.Forward(support.Inputs, view), support.Labels, support.ClassCount, lambda);
        return Losses.CrossEntropy(Logits(_model.Forward(query.Inputs, view), weights, scale, bias), query.LabelArray());
    }

    private static Tensor RidgeWeights(Tensor supportEmbeddings, IReadOnlyList<int> labels, int classes, Tensor lambda)
    {
        ArgumentNullException.ThrowIfNull(supportEmbeddings);
        if (labels is null || supportEmbeddings.Rank != 2 || labels.Count != supportEmbeddings.Shape[0])
        {
            throw new ArgumentException($"RidgeRegressionDiscriminator: {labels?.Count ?? 0} labels for support embeddings "
                + $"{Shapes.Format(supportEmbeddings.Shape)} (expected one per row of [S, D]).", nameof(labels));
        }

        return RidgeWeights(supportEmbeddings, ClassMeans.Indicator(labels, classes, supportEmbeddings.DType).T, lambda);
    }

    private static Tensor Logits(Tensor queryEmbeddings, Tensor weights, Tensor scale, Tensor bias)
    {
        if (queryEmbeddings.Rank != 2 || queryEmbeddings.Shape[1] != weights.Shape[0])
        {
            throw new ArgumentException($"RidgeRegressionDiscriminator: query embeddings {Shapes.Format(queryEmbeddings.Shape)} must be [Q, "
                + $"{weights.Shape[0]}] to match the support embeddings.", nameof(queryEmbeddings));
        }

        return (scale * Tensor.MatMul(queryEmbeddings, weights)) + bias;
    }

    private (Tensor Scale, Tensor Bias, Tensor Lambda) Scalars() => RidgeRegressionModel.Scalars(new ParameterView(Model.Parameters()));

    private (double Scale, double Bias, double Lambda) Current()
    {
        using var noGrad = Tensor.NoGrad();
        var (scale, bias, lambda) = Scalars();
        return (scale.Item(), bias.Item(), lambda.Item());
    }
}
