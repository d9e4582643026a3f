using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.Metric;
using MetaLearn.NN;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;

namespace MetaLearn.Tests.Metric;

public class SiameseNetworkTests
{
    private const DType F64 = DType.Float64;

    private static LearningTask PairTask(ulong seed, int[] imageShape)
    {
        var generator = new Generator(seed);
        PairExamples Pairs(int n) => Examples.Pairs(Tensor.RandomNormal(generator, [n, .. imageShape], dtype: F64), Tensor.RandomNormal(generator, [n, .. imageShape], dtype: F64), [.. Enumerable.Range(0, n).Select(i => i % 2 == 0)]);
        return new LearningTask(Pairs(4), Pairs(2), new TaskMetadata("pairs", new Dictionary<string, double>()));
    }

    [Theory]
    [InlineData(SiameseLoss.BinaryCrossEntropy)]
    [InlineData(SiameseLoss.Contrastive)]
    public void PairLossGradientMatchesFiniteDifferences(SiameseLoss loss)
    {
        var embedding = Backbones.ConvEmbedding(new Generator(3), blocks: 1, hiddenChannels: 2, dtype: F64);
        var network = new SiameseNetwork(embedding, Backbones.ConvEmbeddingSize(4, blocks: 1, hiddenChannels: 2), new Generator(4), new SiameseOptions { Loss = loss, Margin = 3 });
        var task = PairTask(5, [1, 4, 4]);
        var result = GradientChecker.Check(p => network.Loss(task, p), [.. network.Model.Parameters().Select(p => p.Detach().Clone())], order: 1);
        Assert.True(result.Passed, result.Failure);
    }

    /// <summary>An identity embedding of 2-vectors and a head with weights (−1, −2) and bias 3, set by hand.</summary>
    private static SiameseNetwork HandMade()
    {
        var embedding = new Linear(2, 2, new Generator(1), bias: false, dtype: F64);
        embedding.Parameters()[0].CopyFrom(Tensor.FromArray(new double[] { 1, 0, 0, 1 }, 2, 2));
        var network = new SiameseNetwork(embedding, 2, new Generator(2));
        network.Head.Parameters()[0].CopyFrom(Tensor.FromArray(new double[] { -1, -2 }, 1, 2));
        network.Head.Parameters()[1].CopyFrom(Tensor.FromArray(new double[] { 3 }, 1));
        return network;
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    [Fact]
    public void ScoreIsTheSigmoidOfTheWeightedL1DistanceAndVerifyThresholdsIt()
    {
        var network = HandMade();
        var first = Tensor.FromArray(new double[] { 0, 0, 1, 1 }, 2, 2);
        var second = Tensor.FromArray(new double[] { 1, 0.5, 4, 1 }, 2, 2);
        Assert.Equal(new[] { Sigmoid(3 - 1 - 1), Sigmoid(3 - 3) }, network.Score(first, second).ToDoubleArray(), new ToleranceComparer(1e-12));
        var verdicts = network.Verify(first, second, threshold: 0.6);
        Assert.True(verdicts[0].Same);
        Assert.False(verdicts[1].Same);
        Assert.Equal(0.5, verdicts[1].Score, 12);
    }

    [Fact]
    public void LearnerGivesEachClassTheLogOfItsExamplesMeanScore()
    {
        var learner = HandMade().CreateLearner();
        learner.Condition(Examples.Classification(Tensor.FromArray(new double[] { 0, 0, 1, 0, 5, 5 }, 3, 2), [0, 0, 1]));
        var scores = learner.Predict(Tensor.FromArray(new double[] { 0, 1 }, 1, 2)).ToDoubleArray();
        double class0 = (Sigmoid(3 - 2) + Sigmoid(3 - 1 - 2)) / 2;
        double class1 = Sigmoid(3 - 5 - 8);
        Assert.Equal(new[] { Math.Log(class0), Math.Log(class1) }, scores, new ToleranceComparer(1e-12));
    }

    private static LearningTask Episode(ulong seed, int[] imageShape, int ways, int shots, int queries)
    {
        var generator = new Generator(seed);
        ClassificationExamples Set(int perClass) => Examples.Classification(Tensor.RandomNormal(generator, [ways * perClass, .. imageShape], dtype: F64),
            [.. Enumerable.Range(0, ways * perClass).Select(i => i % ways)]);
        return new LearningTask(Set(shots), Set(queries), new TaskMetadata("episode", new Dictionary<string, double>()));
    }

    [Fact]
    public void EpisodeLossGradientMatchesFiniteDifferences()
    {
        var embedding = Backbones.ConvEmbedding(new Generator(3), blocks: 1, hiddenChannels: 2, dtype: F64);
        var network = new SiameseNetwork(embedding, Backbones.ConvEmbeddingSize(4, blocks: 1, hiddenChannels: 2), new Generator(4));
        var task = Episode(6, [1, 4, 4], ways: 3, shots: 2, queries: 2);
        var result = GradientChecker.Check(p => network.Loss(task, p), [.. network.Model.Parameters().Select(p => p.Detach().Clone())], order: 1);
        Assert.True(result.Passed, result.Failure);
    }

    [Fact]
    public void EpisodeLossIsTheCrossEntropyOfTheClassScoresTheLearnerPredicts()
    {
        var network = HandMade();
        var support = Examples.Classification(Tensor.FromArray(new double[] { 0, 0, 1, 0, 5, 5, 2, 1 }, 4, 2), [0, 0, 1, 2]);
        var query = Examples.Classification(Tensor.FromArray(new double[] { 0, 1, 4, 4, 3, 0 }, 3, 2), [0, 1, 2]);
        double loss = network.Loss(new LearningTask(support, query, new TaskMetadata("episode", new Dictionary<string, double>()))).ToDoubleArray()[0];
        var learner = network.CreateLearner();
        learner.Condition(support);
        var scores = learner.Predict(query.Inputs).ToDoubleArray();
        double expected = 0;
        for (int q = 0; q < 3; q++)
        {
            var row = scores.Skip(3 * q).Take(3).ToArray();
            expected -= row[q] - Math.Log(row.Sum(Math.Exp));
        }

        Assert.Equal(expected / 3, loss, 12);
    }

    [Fact]
    public void ClassScoresStayFiniteAndExactWhereProbabilitiesUnderflowInSinglePrecision()
    {
        // σ(−200) underflows float32 to 0: a plain log of the mean probability would give −∞ (or the floor) for class 1.
        var logits = Tensor.FromArray(new float[] { 1, -200, -300 }, 1, 3);
        var averaging = Tensor.FromArray(new float[] { 1, 0, 0, 0, 0.5f, 0.5f, 0, 0, 0 }, 3, 3);
        var scores = SiameseNetwork.ClassScores(logits, averaging).ToDoubleArray();
        Assert.Equal(-Math.Log(1 + Math.Exp(-1)), scores[0], 5);
        Assert.Equal(-200 - Math.Log(2), scores[1], 3);
        Assert.Equal(Math.Log(1e-30), scores[2], 3);
    }

    [Fact]
    public void BadUseThrowsNamingTheProblem()
    {
        var network = HandMade();
        Assert.Equal("threshold", Assert.Throws<ArgumentOutOfRangeException>(() => network.Verify(Tensor.Zeros([1, 2], F64), Tensor.Zeros([1, 2], F64), 1.5)).ParamName);
        Assert.Equal("second", Assert.Throws<ArgumentException>(() => network.Score(Tensor.Zeros([1, 2], F64), Tensor.Zeros([2, 2], F64))).ParamName);
        Assert.Equal("embeddingSize", Assert.Throws<ArgumentOutOfRangeException>(() => new SiameseNetwork(new Linear(2, 2, new Generator(1)), 0, new Generator(1))).ParamName);
        Assert.Throws<ArgumentException>(() => network.PairLogits(Tensor.Zeros([1, 3], F64), Tensor.Zeros([1, 2], F64)));
        var learner = network.CreateLearner();
        Assert.Throws<InvalidOperationException>(() => learner.Predict(Tensor.Zeros([1, 2], F64)));
        var pairs = Examples.Pairs(Tensor.Zeros([2, 2], F64), Tensor.Zeros([2, 2], F64), [true, false]);
        Assert.Equal("support", Assert.Throws<ArgumentException>(() => learner.Condition(pairs)).ParamName);
        var episode = Examples.Classification(Tensor.Zeros([2, 2], F64), [0, 1]);
        var threeWays = Examples.Classification(Tensor.Zeros([3, 2], F64), [0, 1, 2]);
        Assert.Equal("task", Assert.Throws<ArgumentException>(() => network.Loss(new LearningTask(episode, threeWays, new TaskMetadata("episode", new Dictionary<string, double>())))).ParamName);
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
