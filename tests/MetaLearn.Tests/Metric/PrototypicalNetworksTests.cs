using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.Metric;
using MetaLearn.NN;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;

namespace MetaLearn.Tests.Metric;

public class PrototypicalNetworksTests
{
    private const DType F64 = DType.Float64;

    private static LearningTask Episode(ulong seed, int ways, int shots, int queries, int[] imageShape)
    {
        var generator = new Generator(seed);
        var support = Tensor.RandomNormal(generator, [ways * shots, .. imageShape], dtype: F64);
        var query = Tensor.RandomNormal(generator, [ways * queries, .. imageShape], dtype: F64);
        return new LearningTask(
            Examples.Classification(support, [.. Enumerable.Range(0, ways * shots).Select(i => i % ways)]),
            Examples.Classification(query, [.. Enumerable.Range(0, ways * queries).Select(i => i % ways)]),
            new TaskMetadata("random", new Dictionary<string, double>()));
    }

    [Fact]
    public void EpisodeLossGradientMatchesFiniteDifferences()
    {
        // A one-block conv embedding (conv, batch norm, ReLU, pool, flatten) in float64, every parameter a variable.
        var network = new PrototypicalNetworks(Backbones.ConvEmbedding(new Generator(3), blocks: 1, hiddenChannels: 2, dtype: F64));
        var task = Episode(4, ways: 2, shots: 2, queries: 2, [1, 4, 4]);
        var result = GradientChecker.Check(p => network.Loss(task, p), [.. network.Model.Parameters().Select(p => p.Detach().Clone())], order: 1);
        Assert.True(result.Passed, result.Failure);
    }

    [Fact]
    public void LearnerScoresQueriesByNegativeSquaredDistanceToTheClassMeans()
    {
        var embedding = new Linear(2, 2, new Generator(1), bias: false, dtype: F64);
        embedding.Parameters()[0].CopyFrom(Tensor.FromArray(new double[] { 1, 0, 0, 1 }, 2, 2));
        var learner = new PrototypicalNetworks(embedding).CreateLearner();
        learner.Condition(Examples.Classification(Tensor.FromArray(new double[] { 0, 0, 2, 0, 10, 10 }, 3, 2), [0, 0, 1]));
        learner.Adapt(5);
        var scores = learner.Predict(Tensor.FromArray(new double[] { 1, 1, 9, 10 }, 2, 2)).ToDoubleArray();

        // Prototypes (1, 0) and (10, 10).
        Assert.Equal([-1.0, -162.0, -164.0, -1.0], scores);
        Assert.Equal(0, learner.StepsTaken);
    }

    [Fact]
    public void MetaStepLowersTheEpisodeLoss()
    {
        var network = new PrototypicalNetworks(Backbones.ConvEmbedding(new Generator(5), blocks: 2, hiddenChannels: 4), new PrototypicalOptions { Outer = new OuterLoopOptions { LearningRate = 0.01 } });
        var dataset = SyntheticGlyphs.Create(10, 6, seed: 2);
        var task = new FewShotSampler(dataset, 5, 2, 3).Sample(new Generator(7));
        double before = network.Loss(task).Item();
        for (int i = 0; i < 10; i++)
        {
            network.MetaStep([task]);
        }

        Assert.True(network.Loss(task).Item() < before * 0.8, $"loss {before} -> {network.Loss(task).Item()}");
    }

    [Fact]
    public void BadUseThrowsNamingTheProblem()
    {
        var network = new PrototypicalNetworks(new Linear(2, 2, new Generator(1)));
        var learner = network.CreateLearner();
        Assert.Throws<InvalidOperationException>(() => learner.Predict(Tensor.Zeros(1, 2)));
        Assert.Throws<InvalidOperationException>(() => learner.Adapt(1));
        var pairs = Examples.Pairs(Tensor.Zeros(2, 2), Tensor.Zeros(2, 2), [true, false]);
        Assert.Equal("support", Assert.Throws<ArgumentException>(() => learner.Condition(pairs)).ParamName);
        Assert.Contains("class 1", Assert.Throws<ArgumentException>(() => learner.Condition(Examples.Classification(Tensor.Zeros(2, 2), [0, 2]))).Message, StringComparison.Ordinal);
        var task = new LearningTask(pairs, pairs, new TaskMetadata("pairs", new Dictionary<string, double>()));
        Assert.Equal("task", Assert.Throws<ArgumentException>(() => network.Loss(task)).ParamName);
        Assert.Equal("parameters", Assert.Throws<ArgumentException>(() => network.Loss(task, [Tensor.Zeros(2, 2)])).ParamName);
    }
}
