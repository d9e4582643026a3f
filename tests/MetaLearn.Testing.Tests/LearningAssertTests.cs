using MetaLearn.MetaLearning;
using MetaLearn.Metric;
using MetaLearn.Testing;

namespace MetaLearn.Testing.Tests;

public class LearningAssertTests
{
    [Fact]
    public void MamlOnLinesCutsTheLossAfterOneStep()
    {
        var lines = TinyTasks.Lines();
        var maml = new Maml(TinyTasks.Mlp(1, 1), TaskLosses.MeanSquaredError, new MamlOptions { InnerLearningRate = 0.1, Outer = new OuterLoopOptions { LearningRate = 0.01 } });
        var report = LearningAssert.LossFalls(maml, lines, lines, fraction: 0.7, new LearningCheck { Iterations = 150 });
        Assert.Equal(150, report.Training.Iterations);
    }

    [Fact]
    public void MamlOnClustersLearnsWellAboveChance()
    {
        var clusters = TinyTasks.Clusters(ways: 5, shots: 1);
        var maml = new Maml(TinyTasks.Mlp(clusters.InputSize, clusters.Ways), TaskLosses.CrossEntropy, new MamlOptions { InnerLearningRate = 0.5, Outer = new OuterLoopOptions { LearningRate = 0.01 } });
        var report = LearningAssert.AboveChance(maml, clusters.Train, clusters.Test, clusters.Ways, margin: 0.3, new LearningCheck { Iterations = 100 });
        Assert.True(report.After.MeanAccuracy > report.Before.MeanAccuracy + 0.2, $"{report.Before.MeanAccuracy} -> {report.After.MeanAccuracy}");
    }

    [Fact]
    public void ALearnerThatCannotLearnFailsWithBothMeasurementsInTheMessage()
    {
        // No adaptation steps and no meta-training: the classifier stays at chance.
        var clusters = TinyTasks.Clusters();
        var maml = new Maml(TinyTasks.Mlp(clusters.InputSize, clusters.Ways), TaskLosses.CrossEntropy, new MamlOptions { InnerLearningRate = 0.5, FirstOrder = true });
        var failure = Assert.Throws<MetaLearnAssertionException>(() => LearningAssert.AboveChance(
            maml, clusters.Train, clusters.Test, clusters.Ways, margin: 0.7, new LearningCheck { Iterations = 1, AdaptationSteps = 0, EvaluationTasks = 20 }));
        Assert.Contains("Expected 5-way accuracy of at least 0.900 (chance 0.200 + margin 0.700) after 1 meta-iterations", failure.Message);
        Assert.Contains("before meta-training", failure.Message);
    }

    [Fact]
    public void AMetaLearnerWhoseTrainingIsANoOpFailsEvenWhenItsUntrainedStartIsAboveChance()
    {
        // An untrained prototypical network (a random embedding and nearest prototypes) is already above chance here, so
        // a bar on the level alone (chance + 0.05) passes it; the gain over the untrained start on the same tasks does not.
        var clusters = TinyTasks.Clusters(ways: 5, shots: 1);
        var noOp = new NoOpMetaLearner(new PrototypicalNetworks(TinyTasks.Mlp(clusters.InputSize, 16)));
        var failure = Assert.Throws<MetaLearnAssertionException>(() => LearningAssert.AboveChance(noOp, clusters.Train, clusters.Test, clusters.Ways, margin: 0.05));
        Assert.Contains("above the untrained learner's", failure.Message, StringComparison.Ordinal);
        var untrained = LearningAssert.Measure(new PrototypicalNetworks(TinyTasks.Mlp(clusters.InputSize, 16)), clusters.Train, clusters.Test, new LearningCheck { Iterations = 0 });
        Assert.True(untrained.Before.MeanAccuracy >= 0.25, $"the untrained start {untrained.Before.MeanAccuracy} should pass the level bar, so that only the gain catches the no-op");

        // The same learner, really meta-trained, passes both bars.
        var trained = new PrototypicalNetworks(TinyTasks.Mlp(clusters.InputSize, 16), new PrototypicalOptions { Outer = new OuterLoopOptions { LearningRate = 0.01 } });
        var report = LearningAssert.AboveChance(trained, clusters.Train, clusters.Test, clusters.Ways, margin: 0.05);
        Assert.True(report.After.MeanAccuracy >= report.Before.MeanAccuracy + 0.1);
    }

    [Fact]
    public void TheGainMustBePositive()
    {
        var clusters = TinyTasks.Clusters();
        var maml = new Maml(TinyTasks.Mlp(clusters.InputSize, clusters.Ways), TaskLosses.CrossEntropy);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => LearningAssert.AboveChance(maml, clusters.Train, clusters.Test, clusters.Ways, minimumGain: 0));
        Assert.Equal("minimumGain", error.ParamName);
    }

    [Fact]
    public void TheTinyFamiliesAreDeterministic()
    {
        Assert.Equal(16, TinyTasks.Clusters().InputSize);
        var a = TinyTasks.GaussianClusters(seed: 5).GetInputs([0, 1, 399]).ToArray();
        var b = TinyTasks.GaussianClusters(seed: 5).GetInputs([0, 1, 399]).ToArray();
        Assert.Equal(a, b);
        var lines = TinyTasks.Lines(3, 4);
        var first = lines.Sample(new Tensors.Generator(9));
        var second = lines.Sample(new Tensors.Generator(9));
        Assert.Equal(first.Metadata.Name, second.Metadata.Name);
        Assert.Equal(first.Query.Inputs.ToArray(), second.Query.Inputs.ToArray());
    }
}
