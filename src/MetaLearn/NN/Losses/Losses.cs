using MetaLearn.Tensors;

namespace MetaLearn.NN;

/// <summary>
/// Differentiable loss functions (to any order, being compositions of tensor primitives). Inputs are validated: shape
/// mismatches, out-of-range labels and empty batches throw <see cref="ArgumentException"/> naming the argument and shapes.
/// </summary>
public static class Losses
{
    /// <summary>Mean squared error: mean of (prediction − target)². The shapes must be equal (no broadcasting).</summary>
    /// <param name="prediction">The predictions.</param>
    /// <param name="target">The targets, shaped like <paramref name="prediction"/>.</param>
    /// <param name="reduction">Mean (default), sum, or the elementwise squared errors.</param>
    public static Tensor MeanSquaredError(Tensor prediction, Tensor target, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        LossChecks.SameShape("MeanSquaredError", prediction, target, nameof(target));
        LossChecks.NonEmpty("MeanSquaredError", prediction, nameof(prediction));
        return reduction == Reduction.Mean && prediction.DType == target.DType
            ? Functional.MeanSquaredError(prediction, target)
            : LossChecks.Reduce((prediction - target).Square(), reduction);
    }

    /// <summary>
    /// Cross-entropy of class logits [N, C] against integer labels, with optional label smoothing in PyTorch's form:
    /// ℓᵢ = (1 − ε)·(−log pᵢ,yᵢ) + ε·(1/C)·Σ_c (−log pᵢ,c), where log p = log_softmax(logits) (computed stably).
    /// </summary>
    /// <param name="logits">Unnormalized scores [N, C].</param>
    /// <param name="labels">The class of each example, in [0, C).</param>
    /// <param name="labelSmoothing">ε in [0, 1]: the weight moved from the true class to the uniform distribution.</param>
    /// <param name="reduction">Mean over examples (default), sum, or the per-example losses [N].</param>
    public static Tensor CrossEntropy(Tensor logits, int[] labels, double labelSmoothing = 0, Reduction reduction = Reduction.Mean)
    {
        const string op = "CrossEntropy";
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        LossChecks.Rank(op, logits, 2, "logits [N, C]", nameof(logits));
        LossChecks.NonEmpty(op, logits, nameof(logits));
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, $"{op}: label smoothing must be in [0, 1].");
        }

        LossChecks.Labels(op, labels, logits.Shape[0], logits.Shape[1], logits, nameof(labels));
        var logProbabilities = Functional.LogSoftmax(logits, 1);
        var nll = NegativeLogLikelihood(logProbabilities, labels, Reduction.None);
        var losses = labelSmoothing == 0
            ? nll
            : ((1 - labelSmoothing) * nll) - (labelSmoothing * logProbabilities.Mean(1));
        return LossChecks.Reduce(losses, reduction);
    }

    /// <summary>
    /// Negative log-likelihood of log-probabilities [N, C] (a log-softmax output) at integer class labels: ℓᵢ = −log pᵢ,yᵢ,
    /// PyTorch's <c>nll_loss</c> without class weights. Cross-entropy is this of <see cref="Functional.LogSoftmax"/>.
    /// </summary>
    /// <param name="logProbabilities">Log-probabilities [N, C].</param>
    /// <param name="labels">The class of each example, in [0, C).</param>
    /// <param name="reduction">Mean over examples (default), sum, or the per-example losses [N].</param>
    public static Tensor NegativeLogLikelihood(Tensor logProbabilities, int[] labels, Reduction reduction = Reduction.Mean)
    {
        const string op = "NegativeLogLikelihood";
        ArgumentNullException.ThrowIfNull(logProbabilities);
        ArgumentNullException.ThrowIfNull(labels);
        LossChecks.Rank(op, logProbabilities, 2, "log-probabilities [N, C]", nameof(logProbabilities));
        LossChecks.NonEmpty(op, logProbabilities, nameof(logProbabilities));
        int n = logProbabilities.Shape[0];
        LossChecks.Labels(op, labels, n, logProbabilities.Shape[1], logProbabilities, nameof(labels));
        return LossChecks.Reduce(-logProbabilities.Gather(1, labels, [n, 1]).Reshape(n), reduction);
    }

    /// <summary>
    /// Binary cross-entropy of logits x against targets y in [0, 1]: −y·log σ(x) − (1 − y)·log(1 − σ(x)), computed without
    /// overflow as max(x, 0) − x·y + log(1 + e^−|x|).
    /// </summary>
    /// <param name="logits">Unnormalized scores (any shape).</param>
    /// <param name="targets">Probabilities of the positive class, shaped like <paramref name="logits"/>.</param>
    /// <param name="reduction">Mean over elements (default), sum, or the elementwise losses.</param>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor logits, Tensor targets, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        LossChecks.SameShape("BinaryCrossEntropyWithLogits", logits, targets, nameof(targets));
        LossChecks.NonEmpty("BinaryCrossEntropyWithLogits", logits, nameof(logits));
        var losses = logits.Relu() - (logits * targets) + ((-logits.Abs()).Exp() + 1).Log();
        return LossChecks.Reduce(losses, reduction);
    }

    /// <summary>
    /// Contrastive loss of Hadsell, Chopra &amp; LeCun (2006) on pairs of embeddings [N, D]:
    /// ℓᵢ = sᵢ·dᵢ² + (1 − sᵢ)·max(m − dᵢ, 0)², with dᵢ the Euclidean distance between the pair.
    /// </summary>
    /// <remarks>
    /// Label convention: <paramref name="similar"/> is 1 for a similar (same-class) pair, pulled together, and 0 for a
    /// dissimilar pair, pushed at least <paramref name="margin"/> apart. The paper writes Y = 0 for similar pairs and a
    /// factor ½ on both terms; this is the same loss with the label flipped and scaled by 2.
    /// </remarks>
    /// <param name="first">First embeddings [N, D].</param>
    /// <param name="second">Second embeddings [N, D].</param>
    /// <param name="similar">Pair labels [N]: 1 similar, 0 dissimilar (fractions interpolate).</param>
    /// <param name="margin">The distance beyond which dissimilar pairs cost nothing.</param>
    /// <param name="reduction">Mean over pairs (default), sum, or the per-pair losses [N].</param>
    public static Tensor Contrastive(Tensor first, Tensor second, Tensor similar, double margin = 1.0, Reduction reduction = Reduction.Mean)
    {
        const string op = "Contrastive";
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        ArgumentNullException.ThrowIfNull(similar);
        LossChecks.Rank(op, first, 2, "embeddings [N, D]", nameof(first));
        LossChecks.SameShape(op, first, second, nameof(second));
        LossChecks.NonEmpty(op, first, nameof(first));
        if (similar.Rank != 1 || similar.Shape[0] != first.Shape[0])
        {
            throw new ArgumentException($"{op}: labels {Shapes.Format(similar)} must be [{first.Shape[0]}] for embeddings "
                + $"{Shapes.Format(first)}.", nameof(similar));
        }

        LossChecks.SameType(op, first, similar, nameof(similar));
        CheckMargin(margin);
        var squared = Distances.SquaredEuclidean(first, second);
        var distance = Distances.Euclidean(first, second);
        var hinge = (margin - distance).Relu().Square();
        return LossChecks.Reduce((similar * squared) + ((1 - similar) * hinge), reduction);
    }

    /// <summary>
    /// Triplet margin loss (Schroff et al., 2015; PyTorch's <c>triplet_margin_loss</c> with p = 2):
    /// ℓᵢ = max(d(aᵢ, pᵢ) − d(aᵢ, nᵢ) + m, 0) with Euclidean d.
    /// </summary>
    /// <param name="anchor">Anchor embeddings [N, D].</param>
    /// <param name="positive">Embeddings of the same class as the anchors [N, D].</param>
    /// <param name="negative">Embeddings of another class [N, D].</param>
    /// <param name="margin">Required gap between the negative and the positive distance.</param>
    /// <param name="reduction">Mean over triplets (default), sum, or the per-triplet losses [N].</param>
    public static Tensor TripletMargin(Tensor anchor, Tensor positive, Tensor negative, double margin = 1.0, Reduction reduction = Reduction.Mean)
    {
        const string op = "TripletMargin";
        ArgumentNullException.ThrowIfNull(anchor);
        ArgumentNullException.ThrowIfNull(positive);
        ArgumentNullException.ThrowIfNull(negative);
        LossChecks.Rank(op, anchor, 2, "embeddings [N, D]", nameof(anchor));
        LossChecks.SameShape(op, anchor, positive, nameof(positive));
        LossChecks.SameShape(op, anchor, negative, nameof(negative));
        LossChecks.NonEmpty(op, anchor, nameof(anchor));
        CheckMargin(margin);
        var losses = (Distances.Euclidean(anchor, positive) - Distances.Euclidean(anchor, negative) + margin).Relu();
        return LossChecks.Reduce(losses, reduction);
    }

    private static void CheckMargin(double margin)
    {
        if (!(margin >= 0) || double.IsInfinity(margin))
        {
            throw new ArgumentOutOfRangeException(nameof(margin), margin, "The margin must be finite and non-negative.");
        }
    }
}
