using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Tests.MetaLearning;

public class MetaTrainerTests
{
    private static Maml NewMaml(double metaLearningRate = 0.001) => new(
        new Sequential(new Linear(1, 16, new Generator(1)), new Activation(ActivationKind.Relu), new Linear(16, 1, new Generator(2))),
        TaskLosses.MeanSquaredError,
        new MamlOptions { Outer = new OuterLoopOptions { LearningRate = metaLearningRate } });

    private sealed class Recorder : IProgress<MetaTrainingProgress>
    {
        public List<MetaTrainingProgress> Reports { get; } = [];

        public void Report(MetaTrainingProgress value) => Reports.Add(value);
    }

    [Fact]
    public void ReportsProgressAndValidation()
    {
        var recorder = new Recorder();
        var tasks = new SineTaskDistribution(5, 5);
        var result = MetaTrainer.Train(NewMaml(), tasks, new MetaTrainingOptions { Iterations = 20, MetaBatchSize = 4, ProgressInterval = 5, ValidationInterval = 10, ValidationTasks = 10 }, tasks, recorder);
        Assert.Equal(20, result.Iterations);
        Assert.Equal([5L, 10, 15, 20], recorder.Reports.Select(r => r.Iteration));
        Assert.Null(recorder.Reports[0].ValidationLoss);
        Assert.NotNull(recorder.Reports[1].ValidationLoss);
        Assert.All(recorder.Reports, r => Assert.True(double.IsFinite(r.MetaLoss) && r.TotalIterations == 20));
        Assert.NotNull(result.BestValidation);
        Assert.Contains(result.BestIteration, new long?[] { 10, 20 });
    }

    [Fact]
    public void EarlyStoppingRestoresTheBestState()
    {
        // A huge meta-learning rate makes validation worse after the first check, so training stops and the best state returns.
        var maml = NewMaml(metaLearningRate: 5.0);
        var tasks = new SineTaskDistribution(5, 5);
        var result = MetaTrainer.Train(maml, tasks, new MetaTrainingOptions { Iterations = 200, MetaBatchSize = 4, ValidationInterval = 5, ValidationTasks = 20, EarlyStoppingPatience = 2 }, tasks);
        Assert.True(result.StoppedEarly);
        Assert.True(result.Iterations < 200);
        double restored = MetaEvaluator.Evaluate(maml.CreateLearner, tasks, 20, [1], new MetaTrainingOptions().Seed ^ 0x5EED5EEDUL)[0].MeanLoss;
        Assert.Equal(result.BestValidation!.Value, restored, 6);
    }

    [Fact]
    public void SelectionByAccuracyKeepsTheMostAccurateState()
    {
        var dataset = MetaLearn.Tests.Metric.SyntheticGlyphs.Create(12, 6, seed: 2);
        var tasks = new FewShotSampler(dataset, 4, 1, 3);
        var network = new MetaLearn.Metric.PrototypicalNetworks(Backbones.ConvEmbedding(new Generator(5), blocks: 2, hiddenChannels: 4));
        var recorder = new Recorder();
        var options = new MetaTrainingOptions { Iterations = 30, ValidationInterval = 3, ValidationTasks = 10, ProgressInterval = 3, SelectBy = ValidationMetric.Accuracy };
        var result = MetaTrainer.Train(network, tasks, options, tasks, recorder);
        var accuracies = recorder.Reports.Select(r => (r.Iteration, Accuracy: r.ValidationAccuracy!.Value)).ToList();
        double best = accuracies.Max(a => a.Accuracy);
        Assert.Equal(best, result.BestValidation);
        Assert.Equal(accuracies.First(a => a.Accuracy == best).Iteration, result.BestIteration);
        Assert.True(accuracies.Min(a => a.Accuracy) < best, "the accuracy changed over the run");
        double restored = MetaEvaluator.Evaluate(network.CreateLearner, tasks, 10, [1], options.Seed ^ 0x5EED5EEDUL)[0].MeanAccuracy!.Value;
        Assert.Equal(best, restored, 12);

        var regression = new SineTaskDistribution(5, 5);
        var error = Assert.Throws<InvalidOperationException>(() => MetaTrainer.Train(NewMaml(), regression, options with { Iterations = 3 }, regression));
        Assert.Contains("classification", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CancellationStopsBetweenIterations()
    {
        using var cancellation = new CancellationTokenSource();
        var recorder = new Recorder();
        var progress = new CancelAfter(3, cancellation, recorder);
        Assert.Throws<OperationCanceledException>(() => MetaTrainer.Train(NewMaml(), new SineTaskDistribution(5, 5), new MetaTrainingOptions { Iterations = 100, MetaBatchSize = 2, ProgressInterval = 1 }, null, progress, cancellation.Token));
        Assert.Equal(3, recorder.Reports.Count);
    }

    [Fact]
    public void RejectsInconsistentOptions()
    {
        var tasks = new SineTaskDistribution(5, 5);
        Assert.Throws<ArgumentException>(() => MetaTrainer.Train(NewMaml(), tasks, new MetaTrainingOptions { ValidationInterval = 10 }));
        Assert.Throws<ArgumentException>(() => MetaTrainer.Train(NewMaml(), tasks, new MetaTrainingOptions { EarlyStoppingPatience = 3 }, tasks));
        Assert.Throws<ArgumentOutOfRangeException>(() => MetaTrainer.Train(NewMaml(), tasks, new MetaTrainingOptions { MetaBatchSize = 0 }));
    }

    private sealed class CancelAfter(int count, CancellationTokenSource source, Recorder inner) : IProgress<MetaTrainingProgress>
    {
        public void Report(MetaTrainingProgress value)
        {
            inner.Report(value);
            if (inner.Reports.Count == count)
            {
                source.Cancel();
            }
        }
    }
}
