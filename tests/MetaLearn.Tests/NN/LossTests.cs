using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Tests.NN;

/// <summary>Losses, distances and accuracy against values computed by hand with plain double arithmetic.</summary>
public class LossTests
{
    private static readonly double[] LogitValues = [1, 2, 3, 1, 0, -1];
    private static readonly int[] Labels = [2, 1];

    private static Tensor Logits() => Tensor.FromArray(LogitValues, 2, 3);

    private static double[] ReferenceLogSoftmax(double[] row)
    {
        double max = row.Max();
        double lse = max + Math.Log(row.Sum(v => Math.Exp(v - max)));
        return [.. row.Select(v => v - lse)];
    }

    [Fact]
    public void CrossEntropyMatchesHandComputation()
    {
        // Row 0: −log softmax([1,2,3])[2] = log(1 + e^−1 + e^−2); row 1: −log softmax([1,0,−1])[1] = 1 + log(1 + e^−1 + e^−2).
        double c = Math.Log(1 + Math.Exp(-1) + Math.Exp(-2));
        Assert.Equal((c + 1 + c) / 2, Losses.CrossEntropy(Logits(), Labels).Item(), 6);
        Assert.Equal(0.90760596444438, Losses.CrossEntropy(Logits().AsType(DType.Float64), Labels).Item(), 12);

        var perExample = Losses.CrossEntropy(Logits().AsType(DType.Float64), Labels, reduction: Reduction.None).ToDoubleArray();
        NNTestData.AssertClose([c, 1 + c], perExample, 1e-12);
        Assert.Equal(1 + (2 * c), Losses.CrossEntropy(Logits().AsType(DType.Float64), Labels, reduction: Reduction.Sum).Item(), 12);

        // NLL of given log-probabilities picks −log p at each label.
        var logProbabilities = Tensor.FromArray(new double[] { -0.5, -1, -2, -3, -0.25, -4 }, 2, 3);
        Assert.Equal((2 + 0.25) / 2, Losses.NegativeLogLikelihood(logProbabilities, [2, 1]).Item(), 12);
        Assert.Equal(2.25, Losses.NegativeLogLikelihood(logProbabilities, [2, 1], Reduction.Sum).Item(), 12);
        Assert.Equal([0.5, 3.0], Losses.NegativeLogLikelihood(logProbabilities, [0, 0], Reduction.None).ToDoubleArray());
    }

    [Fact]
    public void LabelSmoothingFollowsPyTorch()
    {
        const double eps = 0.1;
        double expected = 0;
        for (int i = 0; i < 2; i++)
        {
            var logp = ReferenceLogSoftmax(LogitValues[(3 * i)..(3 * i + 3)]);
            expected += ((1 - eps) * -logp[Labels[i]]) + (eps * -logp.Average());
        }

        expected /= 2;
        var logits = Logits().AsType(DType.Float64);
        Assert.Equal(expected, Losses.CrossEntropy(logits, Labels, labelSmoothing: eps).Item(), 12);

        // ε = 1 ignores the labels: the mean over classes of −log p.
        Assert.Equal(
            Losses.CrossEntropy(logits, [0, 0], labelSmoothing: 1).Item(),
            Losses.CrossEntropy(logits, [2, 1], labelSmoothing: 1).Item(),
            12);
    }

    [Fact]
    public void CrossEntropyIsStableForHugeLogits()
    {
        var logits = Tensor.FromArray(new float[] { 1000, -1000, 0, 0 }, 2, 2);
        var loss = Losses.CrossEntropy(logits, [1, 0]).Item();
        Assert.Equal((2000 + Math.Log(2)) / 2, loss, 3);
    }

    [Fact]
    public void BinaryCrossEntropyMatchesDefinition()
    {
        double[] x = [2, -1, 0.5, -30, 40];
        double[] y = [1, 0, 0.25, 1, 0];
        double expected = 0;
        for (int i = 0; i < x.Length; i++)
        {
            // log σ(x) = −softplus(−x), log(1 − σ(x)) = −softplus(x), with softplus evaluated stably.
            static double Softplus(double v) => Math.Max(v, 0) + Math.Log(1 + Math.Exp(-Math.Abs(v)));
            expected += (y[i] * Softplus(-x[i])) + ((1 - y[i]) * Softplus(x[i]));
        }

        var loss = Losses.BinaryCrossEntropyWithLogits(Tensor.FromArray(x), Tensor.FromArray(y));
        Assert.Equal(expected / x.Length, loss.Item(), 12);
        Assert.Equal(70.0 / 5, loss.Item(), 0); // dominated by the two confidently wrong logits, finite
        Assert.True(double.IsFinite(loss.Item()));
    }

    [Fact]
    public void MeanSquaredError()
    {
        var p = Tensor.FromArray(new double[] { 1, 2, 3, 4 }, 2, 2);
        var t = Tensor.FromArray(new double[] { 0, 2, 5, 3 }, 2, 2);
        Assert.Equal((1 + 0 + 4 + 1) / 4.0, Losses.MeanSquaredError(p, t).Item(), 15);
        Assert.Equal(6.0, Losses.MeanSquaredError(p, t, Reduction.Sum).Item(), 15);
        Assert.Equal([1.0, 0, 4, 1], Losses.MeanSquaredError(p, t, Reduction.None).ToDoubleArray());
    }

    [Fact]
    public void ContrastiveAndTripletMatchHandComputation()
    {
        var zero = Tensor.Zeros([2, 2], DType.Float64);
        var second = Tensor.FromArray(new double[] { 3, 4, 0.3, 0.4 }, 2, 2);

        // Pair 0 similar at distance 5: 5² = 25. Pair 1 dissimilar at distance 0.5 < margin 1: (1 − 0.5)² = 0.25.
        var similar = Tensor.FromArray(new double[] { 1, 0 });
        Assert.Equal((25 + 0.25) / 2, Losses.Contrastive(zero, second, similar).Item(), 12);

        // Flipped labels: a dissimilar pair beyond the margin costs 0; a similar pair costs d² = 0.25.
        Assert.Equal(0.25 / 2, Losses.Contrastive(zero, second, Tensor.FromArray(new double[] { 0, 1 })).Item(), 12);

        // Triplets: d(a,p) = 5, d(a,n) = 6 → max(5 − 6 + 2, 0) = 1; d(a,p) = d(a,n) = 1 → 2.
        var anchor = Tensor.FromArray(new double[] { 0, 0, 1, 1 }, 2, 2);
        var positive = Tensor.FromArray(new double[] { 3, 4, 1, 2 }, 2, 2);
        var negative = Tensor.FromArray(new double[] { 0, 6, 2, 1 }, 2, 2);
        Assert.Equal(1.5, Losses.TripletMargin(anchor, positive, negative, margin: 2).Item(), 12);
        NNTestData.AssertClose([0.0, 1.0], Losses.TripletMargin(anchor, positive, negative, margin: 1, Reduction.None).ToDoubleArray(), 1e-12);
    }

    [Fact]
    public void DistancesMatchHandComputation()
    {
        var x = Tensor.FromArray(new double[] { 0, 0, 1, 1 }, 2, 2);
        var y = Tensor.FromArray(new double[] { 3, 4, 1, 0, 0, 0 }, 3, 2);
        var euclid = Distances.PairwiseEuclidean(x, y).ToDoubleArray();
        NNTestData.AssertClose([5, 1, Distances.DefaultEpsilon, Math.Sqrt(13), 1, Math.Sqrt(2)], euclid, 1e-12);
        Assert.Equal([25.0, 1, 0, 13, 1, 2], Distances.PairwiseSquaredEuclidean(x, y).ToDoubleArray());
        Assert.Equal([7.0, 1, 0, 5, 1, 2], Distances.PairwiseL1(x, y).ToDoubleArray());

        var rows = Tensor.FromArray(new double[] { 3, 4, 1, 0 }, 2, 2);
        NNTestData.AssertClose([5, 1.0], Distances.Euclidean(x, rows).ToDoubleArray(), 1e-12);
        Assert.Equal([25, 1.0], Distances.SquaredEuclidean(x, rows).ToDoubleArray());
        Assert.Equal([7, 1.0], Distances.L1(x, rows).ToDoubleArray());

        // cos([1,1], [1,0]) = 1/√2; a zero vector gives similarity 0, not NaN.
        var cos = Distances.CosineSimilarity(x, rows).ToDoubleArray();
        NNTestData.AssertClose([0, 1 / Math.Sqrt(2)], cos, 1e-12);
        Assert.Equal(1 - (1 / Math.Sqrt(2)), Distances.CosineDistance(x, rows).GetFlat(1), 12);
        var pairCos = Distances.PairwiseCosineSimilarity(x, y).ToDoubleArray();
        NNTestData.AssertClose([0, 0, 0, 7 / (5 * Math.Sqrt(2)), 1 / Math.Sqrt(2), 0], pairCos, 1e-12);
        Assert.Equal(1.0, Distances.PairwiseCosineDistance(x, y).GetFlat(0), 12);
    }

    [Fact]
    public void AccuracyCountsArgMaxHits()
    {
        Assert.Equal(0.5, Metrics.Accuracy(Logits(), [2, 1]));
        Assert.Equal(1.0, Metrics.Accuracy(Logits(), [2, 0]));
        Assert.Equal(0.0, Metrics.Accuracy(Logits(), [0, 2]));
    }

    [Fact]
    public void InvalidInputsThrowNamingArgumentAndShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => Losses.CrossEntropy(Logits(), [3, 0]));
        Assert.Equal("labels", e.ParamName);
        Assert.Contains("[2, 3]", e.Message, StringComparison.Ordinal);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => Losses.CrossEntropy(Logits(), [-1, 0])).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => Losses.CrossEntropy(Logits(), [0])).ParamName);
        Assert.Equal("logits", Assert.Throws<ArgumentException>(() => Losses.CrossEntropy(Tensor.Zeros(0, 3), [])).ParamName);
        Assert.Equal("logits", Assert.Throws<ArgumentException>(() => Losses.CrossEntropy(Tensor.Zeros(6), [0])).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Losses.CrossEntropy(Logits(), [0, 0], labelSmoothing: 1.5));

        var m = Assert.Throws<ArgumentException>(() => Losses.MeanSquaredError(Tensor.Zeros(4, 1), Tensor.Zeros(4)));
        Assert.Equal("target", m.ParamName);
        Assert.Contains("[4, 1]", m.Message, StringComparison.Ordinal);
        Assert.Contains("[4]", m.Message, StringComparison.Ordinal);
        Assert.Equal("prediction", Assert.Throws<ArgumentException>(() => Losses.MeanSquaredError(Tensor.Zeros(0), Tensor.Zeros(0))).ParamName);
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => Losses.BinaryCrossEntropyWithLogits(Tensor.Zeros(3), Tensor.Zeros(2))).ParamName);
        Assert.Equal("similar", Assert.Throws<ArgumentException>(() => Losses.Contrastive(Tensor.Zeros(2, 2), Tensor.Zeros(2, 2), Tensor.Zeros(3))).ParamName);
        Assert.Equal("negative", Assert.Throws<ArgumentException>(() => Losses.TripletMargin(Tensor.Zeros(2, 2), Tensor.Zeros(2, 2), Tensor.Zeros(2, 3))).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Distances.PairwiseEuclidean(Tensor.Zeros(2, 2), Tensor.Zeros(2, 3))).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => Metrics.Accuracy(Logits(), [0, 5])).ParamName);
        var nll = Assert.Throws<ArgumentException>(() => Losses.NegativeLogLikelihood(Logits(), [0, 3]));
        Assert.Equal("labels", nll.ParamName);
        Assert.Contains("NegativeLogLikelihood", nll.Message, StringComparison.Ordinal);
        Assert.Contains("[2, 3]", nll.Message, StringComparison.Ordinal);
        Assert.Equal("logProbabilities", Assert.Throws<ArgumentException>(() => Losses.NegativeLogLikelihood(Tensor.Zeros(3), [0])).ParamName);
        Assert.Equal("logProbabilities", Assert.Throws<ArgumentException>(() => Losses.NegativeLogLikelihood(Tensor.Zeros(0, 3), [])).ParamName);
    }

    public sealed record LossCase(string Name, Func<Tensor[], Tensor> Function, Tensor[] Inputs)
    {
        public override string ToString() => Name;
    }

    private static Tensor U(ulong seed, params int[] shape) => NNTestData.Uniform(seed, shape);

    private static readonly int[] ThreeLabels = [0, 3, 1];

    public static TheoryData<LossCase> GradientCases => new()
    {
        new("mse", x => Losses.MeanSquaredError(x[0], x[1]), [U(1, 3, 2), U(2, 3, 2)]),
        new("cross entropy", x => Losses.CrossEntropy(x[0], ThreeLabels), [U(3, 3, 4)]),
        new("cross entropy smoothed per example", x => Losses.CrossEntropy(x[0], ThreeLabels, 0.2, Reduction.None), [U(4, 3, 4)]),
        new("bce with logits", x => Losses.BinaryCrossEntropyWithLogits(x[0], x[1].Sigmoid()), [NNTestData.AwayFromZero(5, [2, 3]), U(6, 2, 3)]),
        new("contrastive", x => Losses.Contrastive(x[0], x[1], Tensor.FromArray(new double[] { 1, 0, 0, 1 }), margin: 3), [U(7, 4, 3), U(8, 4, 3)]),
        new("triplet", x => Losses.TripletMargin(x[0], x[1], x[2], margin: 5), [U(9, 3, 2), U(10, 3, 2), U(11, 3, 2)]),
        new("l1", x => Distances.L1(x[0], x[1]), [U(12, 2, 3), U(13, 2, 3)]),
        new("euclidean", x => Distances.Euclidean(x[0], x[1]), [U(14, 2, 3), U(15, 2, 3)]),
        new("cosine", x => Distances.CosineSimilarity(x[0], x[1]), [U(16, 2, 3), U(17, 2, 3)]),
        new("pairwise euclidean", x => Distances.PairwiseEuclidean(x[0], x[1]), [U(18, 3, 2), U(19, 2, 2)]),
        new("pairwise squared euclidean", x => Distances.PairwiseSquaredEuclidean(x[0], x[1]), [U(20, 3, 2), U(21, 2, 2)]),
        new("pairwise cosine", x => Distances.PairwiseCosineSimilarity(x[0], x[1]), [U(22, 3, 2), U(23, 2, 2)]),
        new("nll of log-softmax", x => Losses.NegativeLogLikelihood(Functional.LogSoftmax(x[0], 1), ThreeLabels), [U(26, 3, 4)]),
        new("nll sum", x => Losses.NegativeLogLikelihood(x[0], ThreeLabels, Reduction.Sum), [U(27, 3, 4)]),
        new("prototypical logits", x => Losses.CrossEntropy(-Distances.PairwiseSquaredEuclidean(x[0], x[1]), ThreeLabels[..2]), [U(24, 2, 3), U(25, 4, 3)]),
    };

    [Theory]
    [MemberData(nameof(GradientCases))]
    public void LossGradientsMatchFiniteDifferences(LossCase c) => NNTestData.AssertGradients(c.Name, c.Function, c.Inputs);
}
