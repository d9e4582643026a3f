using MetaLearn.Data;
using MetaLearn.Evaluation;
using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Tensors;
using MetaLearn.Testing;

namespace MetaLearn.Extensibility.Tests;

/// <summary>A meta-learner and an optimizer written on the public API plug into the trainer, the evaluator and checkpoints.</summary>
public class ExtensibilityTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>
    /// 20 classes of 16-D points, 30 each: 4 features around random centres and 12 noisy distractors, so that an untrained
    /// embedding's nearest centroid is often wrong and meta-training has something to learn (to ignore the distractors).
    /// </summary>
    private static InMemoryDataset Clusters(ulong seed) => TinyTasks.GaussianClusters(examplesPerClass: 30, informative: 4, distractors: 12, seed: seed);

    private static NearestCentroidMetaLearner NewLearner(ulong seed = 1) => new(
        new Sequential(new Linear(16, 32, new Generator(seed)), new Activation(ActivationKind.Relu), new Linear(32, 8, new Generator(seed + 1))),
        new OuterLoopOptions { LearningRate = 0.01 });

    private static string TempPath() => Path.Combine(Path.GetTempPath(), "metalearn-ext-" + Guid.NewGuid().ToString("N") + ".safetensors");

    [Fact]
    public void ANewMetaLearnerTrainsEvaluatesAtZeroStepsAndResumes()
    {
        var data = Clusters(7);
        var train = new FewShotSampler(data, ways: 5, shots: 1, queries: 5, classes: [.. Enumerable.Range(0, 14)]);
        var test = new FewShotSampler(data, ways: 5, shots: 1, queries: 5, classes: [.. Enumerable.Range(14, 6)]);
        var options = new MetaTrainingOptions { Iterations = 60, MetaBatchSize = 4, Seed = 3, CheckpointInterval = 30 };

        var learner = NewLearner();
        var before = MetaEvaluator.Evaluate(learner.CreateLearner, test, 100, [0], seed: 11)[0];
        MetaTrainer.Train(learner, train, options);
        var after = MetaEvaluator.Evaluate(learner.CreateLearner, test, 100, [0], seed: 11)[0];
        output.WriteLine($"5-way 1-shot accuracy {before.MeanAccuracy:P1} before, {after.MeanAccuracy:P1} after meta-training");
        // 24.0% untrained (chance 20%) -> 63.5% after 60 iterations: the gain, not the level, shows that it meta-learned.
        Assert.True(after.MeanAccuracy > 0.55, $"accuracy after meta-training {after.MeanAccuracy}");
        Assert.True(after.MeanAccuracy > before.MeanAccuracy + 0.3, $"{before.MeanAccuracy} -> {after.MeanAccuracy}: not 30 points above the untrained start");
        Assert.True(after.Accuracy!.HalfWidth > 0 && after.Accuracy.HalfWidth < 0.1);

        // Stop at 30 iterations, resume to 60: the same final state, bit for bit.
        var path = TempPath();
        try
        {
            var interrupted = NewLearner();
            MetaTrainer.Train(interrupted, train, options with { Iterations = 30, CheckpointPath = path });
            var resumed = NewLearner(seed: 50);
            MetaTrainer.Train(resumed, train, options with { CheckpointPath = path, Resume = true });
            Assert.Equal(learner.ExportState().Select(e => e.Value.ToDoubleArray()), resumed.ExportState().Select(e => e.Value.ToDoubleArray()));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AUserOptimizerDrivesTheOuterLoopAndCheckpoints()
    {
        var model = new Sequential(new Linear(1, 4, new Generator(1)), new Activation(ActivationKind.Tanh), new Linear(4, 1, new Generator(2)));
        var initial = model.Parameters().Select(p => p.ToArray()).ToArray();
        var maml = new Maml(model, TaskLosses.MeanSquaredError, new MamlOptions { Outer = new OuterLoopOptions { Optimizer = p => new SignSgd(p, 0.01) } });
        Assert.IsType<SignSgd>(maml.OuterOptimizer);
        var tasks = new SineTaskDistribution(5, 5);
        var generator = new Generator(4);
        var batch = new[] { tasks.Sample(generator), tasks.Sample(generator) };
        var gradient = maml.ComputeMetaGradient(batch).Gradient;
        maml.MetaStep(batch);

        // θ moved by exactly −0.01·sign(g) in every element.
        var parameters = model.Parameters();
        for (int p = 0; p < parameters.Count; p++)
        {
            var g = gradient[p].ToArray();
            var now = parameters[p].ToArray();
            for (int j = 0; j < now.Length; j++)
            {
                Assert.Equal(initial[p][j] - (float)(0.01 * Math.Sign(g[j])), now[j]);
            }
        }

        var path = TempPath();
        try
        {
            MetaLearnerFile.Save(path, maml);
            var copy = new Maml(new Sequential(new Linear(1, 4, new Generator(9)), new Activation(ActivationKind.Tanh), new Linear(4, 1, new Generator(9))), TaskLosses.MeanSquaredError, new MamlOptions { Outer = new OuterLoopOptions { Optimizer = p => new SignSgd(p, 0.01) } });
            MetaLearnerFile.Load(path, copy);
            Assert.Equal(maml.ExportState().Select(e => (e.Name, e.Value.ToDoubleArray())), copy.ExportState().Select(e => (e.Name, e.Value.ToDoubleArray())));
            Assert.Contains(copy.ExportState(), e => e.Name == "outer/state.0.updates");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
