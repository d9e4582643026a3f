using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Tensors;
using MetaLearn.Tests.Shared;

namespace MetaLearn.Tests.MetaLearning;

/// <summary>One NaN in one task of one meta-batch must neither destroy the run nor any checkpoint.</summary>
public class NonFiniteTrainingTests
{
    private const int MetaBatch = 4;

    /// <summary>Sine tasks, except that task <see cref="BadTask"/> of meta-iteration <see cref="BadIteration"/> has a NaN support input.</summary>
    private sealed class PoisonedSource : ITaskSource
    {
        public const int BadIteration = 3;
        public const int BadTask = 1;
        private readonly SineTaskDistribution _tasks = new(5, 5);
        private long _drawn;

        public ITask Sample(Generator generator)
        {
            var task = _tasks.Sample(generator);
            long index = _drawn++;
            if (index != ((BadIteration - 1) * MetaBatch) + BadTask)
            {
                return task;
            }

            var inputs = task.Support.Inputs.Clone();
            inputs.AsSpan<float>()[2] = float.NaN;
            return new LearningTask(Examples.Regression(inputs, ((RegressionExamples)task.Support).Targets), task.Query, task.Metadata);
        }
    }

    private static Sequential Mlp(ulong seed = 1) => new(new Linear(1, 8, new Generator(seed)), new Activation(ActivationKind.Relu), new Linear(8, 1, new Generator(seed + 1)));

    public static TheoryData<string> Learners => ["maml", "reptile"];

    private static IMetaLearner Create(string kind, NonFiniteTaskPolicy policy, ulong seed = 1) => kind == "maml"
        ? new Maml(Mlp(seed), TaskLosses.MeanSquaredError, new MamlOptions { TaskBatching = TaskBatching.Never, Outer = new OuterLoopOptions { NonFiniteTasks = policy } })
        : new Reptile(Mlp(seed), TaskLosses.MeanSquaredError, new ReptileOptions { InnerSteps = 2, Outer = new OuterLoopOptions { NonFiniteTasks = policy } });

    private static MetaTrainingOptions Options(string path) => new()
    {
        Iterations = 6,
        MetaBatchSize = MetaBatch,
        CheckpointPath = path,
        CheckpointInterval = 1,
        ValidationInterval = 1,
        ValidationTasks = 4,
    };

    /// <summary>
    /// Every checkpoint file on disk loads into a fresh learner and holds finite values only. The resumed learner starts
    /// from other weights (seed 40), so a resume that restored nothing would keep them: it must end holding the run's best
    /// validated state (what the trainer hands back), bit for bit what the best file holds, and not its own start.
    /// </summary>
    private static void CheckpointsLoadAndAreFinite(string kind, string path)
    {
        foreach (var file in new[] { path, MetaTrainer.BestCheckpointPath(path) })
        {
            Assert.True(File.Exists(file), file);
        }

        var resumed = Create(kind, NonFiniteTaskPolicy.Throw, seed: 40);
        var start = resumed.ExportState().Select(e => e.Value.ToDoubleArray()).ToArray();
        MetaTrainer.Train(resumed, new SineTaskDistribution(5, 5), new MetaTrainingOptions { Iterations = 0, CheckpointPath = path, Resume = true });
        Assert.All(resumed.ExportState(), entry => Assert.True(entry.Value.IsFinite(), entry.Name));

        var best = Create(kind, NonFiniteTaskPolicy.Throw);
        MetaLearnerFile.Load(MetaTrainer.BestCheckpointPath(path), best);
        Assert.All(best.ExportState(), entry => Assert.True(entry.Value.IsFinite(), entry.Name));
        Assert.Equal(best.ExportState().Select(e => (e.Name, e.Value.ToDoubleArray())), resumed.ExportState().Select(e => (e.Name, e.Value.ToDoubleArray())));
        Assert.NotEqual(start, resumed.ExportState().Select(e => e.Value.ToDoubleArray()).ToArray());
    }

    [Theory]
    [MemberData(nameof(Learners))]
    public void ByDefaultTheRunStopsNamingTheTaskAndKeepsEveryCheckpoint(string kind)
    {
        using var folder = new ScratchFolder();
        var path = folder.PathOf("run.safetensors");
        var learner = Create(kind, NonFiniteTaskPolicy.Throw);
        var error = Assert.Throws<NonFiniteTaskException>(() => MetaTrainer.Train(learner, new PoisonedSource(), Options(path), new SineTaskDistribution(5, 5)));
        Assert.Equal(PoisonedSource.BadTask, error.TaskIndex);
        Assert.Contains("Task 1", error.Message, StringComparison.Ordinal);
        Assert.All(learner.ExportState(), entry => Assert.True(entry.Value.IsFinite(), entry.Name));
        CheckpointsLoadAndAreFinite(kind, path);
    }

    [Theory]
    [MemberData(nameof(Learners))]
    public void SkippingFinishesTheRunAndReportsTheTask(string kind)
    {
        using var folder = new ScratchFolder();
        var path = folder.PathOf("run.safetensors");
        var reports = new List<MetaTrainingProgress>();
        var result = MetaTrainer.Train(Create(kind, NonFiniteTaskPolicy.SkipTask), new PoisonedSource(), Options(path) with { ProgressInterval = 1 }, new SineTaskDistribution(5, 5), new SynchronousProgress(reports.Add));
        Assert.Equal(6, result.Iterations);
        Assert.Equal(1, result.SkippedTasks);
        Assert.Equal(0, reports.Single(r => r.Iteration == PoisonedSource.BadIteration - 1).SkippedTasks);
        Assert.Equal(1, reports.Single(r => r.Iteration == PoisonedSource.BadIteration).SkippedTasks);
        Assert.All(reports, r => Assert.True(double.IsFinite(r.MetaLoss)));
        CheckpointsLoadAndAreFinite(kind, path);
    }

    [Theory]
    [MemberData(nameof(Learners))]
    public void ImportStateRejectsNonFiniteValuesAndChangesNothing(string kind)
    {
        var learner = Create(kind, NonFiniteTaskPolicy.Throw);
        var before = learner.ExportState();
        var state = before.ToDictionary(e => e.Name, e => e.Value.Clone(), StringComparer.Ordinal);
        var victim = state.Keys.First(k => k.StartsWith("model.", StringComparison.Ordinal));
        state[victim].AsSpan<float>()[0] = float.PositiveInfinity;
        var error = Assert.Throws<ArgumentException>(() => learner.ImportState(state));
        Assert.Contains(victim, error.Message, StringComparison.Ordinal);
        Assert.Equal(before.Select(e => e.Value.ToDoubleArray()), learner.ExportState().Select(e => e.Value.ToDoubleArray()));
    }

    [Fact]
    public void AnIterationCounterMustBeANonNegativeInteger()
    {
        var learner = Create("reptile", NonFiniteTaskPolicy.Throw);
        foreach (double bad in new[] { -1.0, 2.5 })
        {
            var state = learner.ExportState().ToDictionary(e => e.Name, e => e.Value.Clone(), StringComparer.Ordinal);
            state["outer/step"] = Tensor.Scalar(bad, DType.Float64);
            Assert.Throws<ArgumentException>(() => learner.ImportState(state));
        }
    }

    private sealed class SynchronousProgress(Action<MetaTrainingProgress> report) : IProgress<MetaTrainingProgress>
    {
        public void Report(MetaTrainingProgress value) => report(value);
    }
}
