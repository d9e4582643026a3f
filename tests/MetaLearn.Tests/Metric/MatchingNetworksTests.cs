using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.Metric;
using MetaLearn.NN;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;

namespace MetaLearn.Tests.Metric;

public class MatchingNetworksTests
{
    private const DType F64 = DType.Float64;

    private static TaskMetadata Meta => new("episode", new Dictionary<string, double>());

    [Fact]
    public void EpisodeLossGradientMatchesFiniteDifferences()
    {
        var generator = new Generator(6);
        var network = new MatchingNetworks(Backbones.ConvEmbedding(new Generator(3), blocks: 1, hiddenChannels: 2, dtype: F64), new MatchingOptions { Temperature = 0.5 });
        ClassificationExamples Set(int perClass) => Examples.Classification(Tensor.RandomNormal(generator, [3 * perClass, 1, 4, 4], dtype: F64), [.. Enumerable.Range(0, 3 * perClass).Select(i => i % 3)]);
        var task = new LearningTask(Set(2), Set(2), Meta);
        var result = GradientChecker.Check(p => network.Loss(task, p), [.. network.Model.Parameters().Select(p => p.Detach().Clone())], order: 1);
        Assert.True(result.Passed, result.Failure);
    }

    /// <summary>An identity embedding of 2-vectors, so cosines can be written by hand.</summary>
    private static MatchingNetworks Identity(double temperature)
    {
        var embedding = new Linear(2, 2, new Generator(1), bias: false, dtype: F64);
        embedding.Parameters()[0].CopyFrom(Tensor.FromArray(new double[] { 1, 0, 0, 1 }, 2, 2));
        return new MatchingNetworks(embedding, new MatchingOptions { Temperature = temperature });
    }

    [Fact]
    public void ClassScoresAreTheLogOfEachClassesShareOfTheCosineAttention()
    {
        // Support: (1, 0) and (0, 1) of class 0, (−1, 0) of class 1. Query (1, 1)/√2 has cosines 1/√2, 1/√2, −1/√2.
        const double temperature = 0.5;
        var network = Identity(temperature);
        var support = Examples.Classification(Tensor.FromArray(new double[] { 1, 0, 0, 1, -1, 0 }, 3, 2), [0, 0, 1]);
        var query = Examples.Classification(Tensor.FromArray(new double[] { 1, 1, -2, 0.5 }, 2, 2), [0, 1]);
        var learner = network.CreateLearner();
        learner.Condition(support);
        var scores = learner.Predict(query.Inputs).ToDoubleArray();

        double[] Expected(double x, double y)
        {
            double norm = Math.Sqrt((x * x) + (y * y));
            double[] cosines = [x / norm, y / norm, -x / norm];
            double[] weights = [.. cosines.Select(c => Math.Exp(c / temperature))];
            double total = weights.Sum();
            return [Math.Log((weights[0] + weights[1]) / total), Math.Log(weights[2] / total)];
        }

        double[] expected = [.. Expected(1, 1), .. Expected(-2, 0.5)];
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], scores[i], 12);
        }

        double loss = network.Loss(new LearningTask(support, query, Meta)).ToDoubleArray()[0];
        Assert.Equal(-(expected[0] + expected[3]) / 2, loss, 12);
    }

    [Fact]
    public void AttentionRowsSumToOneAndSharpenAsTheTemperatureFalls()
    {
        var queries = Tensor.FromArray(new double[] { 1, 0.2, -0.3, 1 }, 2, 2);
        var support = Tensor.FromArray(new double[] { 1, 0, 0, 1, -1, -1 }, 3, 2);
        var soft = Identity(1).Attention(queries, support).ToDoubleArray();
        var sharp = Identity(0.05).Attention(queries, support).ToDoubleArray();
        for (int q = 0; q < 2; q++)
        {
            Assert.Equal(1, soft.Skip(3 * q).Take(3).Sum(), 12);
            Assert.Equal(1, sharp.Skip(3 * q).Take(3).Sum(), 12);
        }

        Assert.True(sharp[0] > 0.99 && soft[0] < 0.7, $"attention of query 0 on its nearest support example: τ = 1 {soft[0]:F3}, τ = 0.05 {sharp[0]:F3}");
    }

    [Fact]
    public void BadUseThrowsNamingTheProblem()
    {
        var network = Identity(1);
        Assert.Equal("Temperature", Assert.Throws<ArgumentOutOfRangeException>(() => new MatchingOptions { Temperature = 0 }).ParamName);
        Assert.Equal("Temperature", Assert.Throws<ArgumentOutOfRangeException>(() => new MatchingOptions { Temperature = double.PositiveInfinity }).ParamName);
        var learner = network.CreateLearner();
        Assert.Throws<InvalidOperationException>(() => learner.Predict(Tensor.Zeros([1, 2], F64)));
        var pairs = Examples.Pairs(Tensor.Zeros([2, 2], F64), Tensor.Zeros([2, 2], F64), [true, false]);
        Assert.Equal("support", Assert.Throws<ArgumentException>(() => learner.Condition(pairs)).ParamName);
        Assert.Equal("task", Assert.Throws<ArgumentException>(() => network.Loss(new LearningTask(pairs, pairs, Meta))).ParamName);
        var twoWays = Examples.Classification(Tensor.Ones([2, 2], F64), [0, 1]);
        var threeWays = Examples.Classification(Tensor.Ones([3, 2], F64), [0, 1, 2]);
        Assert.Equal("task", Assert.Throws<ArgumentException>(() => network.Loss(new LearningTask(twoWays, threeWays, Meta))).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => network.Scores(Tensor.Ones([1, 2], F64), Tensor.Ones([2, 2], F64), [0], 1)).ParamName);
    }
}
