using MetaLearn.Data;
using MetaLearn.NN;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;
using MetaLearn.Transfer.Selection;

namespace MetaLearn.Tests.Transfer;

public class TaskSimilarityTests
{
    /// <summary>A task's example features: N points of N(mean, scale²) in 2-D.</summary>
    private static Tensor Set(Generator generator, double mean, double scale, int n = 12, DType dtype = DType.Float32)
        => (Tensor.RandomNormal(generator, [n, 2], dtype: DType.Float64) * scale + mean).AsType(dtype);

    [Fact]
    public void RankingPutsTheTrulyRelatedSourceFirst()
    {
        var generator = new Generator(1);
        var target = Set(generator, mean: 2, scale: 0.5);
        Tensor[] sources = [Set(generator, -2, 0.5), Set(generator, 0, 0.5), Set(generator, 2, 0.5), Set(generator, 5, 0.5)];
        var ranking = SourceSelection.RankSources(target, sources, new MeanEmbeddingDistance());
        Assert.Equal(2, ranking[0].Index);
        Assert.Equal([2, 1, 3, 0], ranking.Select(r => r.Index));
        Assert.True(ranking.Zip(ranking.Skip(1)).All(p => p.First.Distance <= p.Second.Distance));
    }

    [Fact]
    public void SiameseTaskMetricPassesTheGradientCheckInFloat64()
    {
        var generator = new Generator(2);
        var metric = new SiameseTaskMetric(features: 2, hidden: 3, embedding: 2, generator, DType.Float64);
        TaskPair[] pairs =
        [
            new(Set(generator, 0, 1, 4, DType.Float64), Set(generator, 1, 2, 5, DType.Float64), 1),
            new(Set(generator, 0, 1, 3, DType.Float64), Set(generator, 0, 3, 4, DType.Float64), 0),
            new(Set(generator, 1, 1, 4, DType.Float64), Set(generator, -1, 1, 4, DType.Float64), 0.5),
        ];
        GradientChecker.Verify(w => metric.Loss(pairs, w, margin: 2), [.. metric.Parameters().Select(p => p.Clone())], order: 1);
    }

    [Fact]
    public void SiameseTaskMetricLearnsASimilarityTheMeanEmbeddingCannotSee()
    {
        // Two families with the same mean and different spread: the mean embedding cannot tell them apart; a set encoder can.
        var generator = new Generator(3);
        var tasks = new List<Tensor>();
        var groups = new List<int>();
        for (int i = 0; i < 16; i++)
        {
            groups.Add(i % 2);
            tasks.Add(Set(generator, 0, i % 2 == 0 ? 0.4 : 2.0));
        }

        var metric = new SiameseTaskMetric(features: 2, hidden: 16, embedding: 4, new Generator(4));
        var losses = metric.Train(TaskPairs.FromGroups(tasks, groups), new TaskMetricTrainingOptions { Epochs = 40, Seed = 5 });
        Assert.True(losses[^1] < 0.5 * losses[0], $"loss {losses[0]:F3} → {losses[^1]:F3}");

        // Held-out targets, each with one source of its own family among three of the other.
        int learnedRight = 0, fixedRight = 0;
        const int Targets = 40;
        for (int t = 0; t < Targets; t++)
        {
            int family = t % 2;
            double Scale(int f) => f == 0 ? 0.4 : 2.0;
            var target = Set(generator, 0, Scale(family));
            int related = generator.NextInt(4);
            var sources = Enumerable.Range(0, 4).Select(k => Set(generator, 0, Scale(k == related ? family : 1 - family))).ToArray();
            learnedRight += SourceSelection.RankSources(target, sources, metric)[0].Index == related ? 1 : 0;
            fixedRight += SourceSelection.RankSources(target, sources, new MeanEmbeddingDistance())[0].Index == related ? 1 : 0;
        }

        Assert.True(learnedRight >= 0.9 * Targets, $"the learned metric ranked the related source first for {learnedRight} of {Targets} targets");
        Assert.True(learnedRight > fixedRight + 10, $"learned {learnedRight}, fixed {fixedRight} of {Targets}");
    }

    [Fact]
    public void GainsBecomeRankedSimilaritiesAndThePipelineStartsFromTheNearestSource()
    {
        var generator = new Generator(6);
        Tensor[] tasks = [Set(generator, 0, 1), Set(generator, 1, 1), Set(generator, 5, 1)];
        var pairs = TaskPairs.FromGains(tasks, new double[,] { { 0, 3, -1 }, { 5, 0, 0 }, { 0, 1, 0 } });
        Assert.Equal([1.0, 0.0, 0.5], pairs.Select(p => p.Similarity));

        var model = Backbones.Mlp([2, 3, 1], ActivationKind.Relu, new Generator(7));
        var sources = tasks.Select((t, i) => new TransferSource($"source {i}", t, [.. model.Parameters().Select(p => p + i)])).ToArray();
        var learner = SourceSelection.CreateLearner(model, Set(generator, 5.2, 1), sources, new MeanEmbeddingDistance());
        learner.Condition(Examples.Regression(Tensor.Zeros([2, 2]), Tensor.Zeros([2, 1])));
        Assert.Equal(sources[2].Weights[0].ToArray(), learner.Weights[0].ToArray());
        var averaged = SourceSelection.AverageWeights([sources[0].Weights, sources[2].Weights]);
        foreach (var (expected, actual) in (sources[0].Weights[1] + 1).ToArray().Zip(averaged[1].ToArray()))
        {
            Assert.Equal(expected, actual, 5);
        }
    }
}
