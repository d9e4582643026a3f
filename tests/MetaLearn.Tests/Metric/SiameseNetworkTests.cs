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
        Assert.Equal("task", Assert.Throws<ArgumentException>(() => network.Loss(new LearningTask(episode, episode, new TaskMetadata("episode", new Dictionary<string, double>())))).ParamName);
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
