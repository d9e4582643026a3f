using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.Orleans.SiloHost;
using MetaLearn.Tensors;

namespace MetaLearn.Orleans.Tests;

/// <summary>On three silos the meta-gradients, and so whole training runs, have the local executor's bits.</summary>
[Collection(nameof(SharedThreeSilos))]
public class DistributedEqualityTests(ThreeSilos silos)
{
    [Theory]
    [InlineData(TestLearners.MamlSecondOrder, true)]
    [InlineData(TestLearners.MamlFirstOrderBatched, false)]
    [InlineData(TestLearners.MamlPlusPlus, true)]
    [InlineData(TestLearners.Reptile, true)]
    [InlineData(TestLearners.ProtoNets, false)]
    [InlineData(TestLearners.ProtoNets, true)]
    public void TrainingOnThreeSilosGivesTheLocalBits(string learner, bool described)
    {
        var source = Source(learner, described);
        var options = new MetaTrainingOptions { Iterations = 3, MetaBatchSize = 7, Seed = 11 };
        var local = TestLearners.Create(learner);
        var before = local.ExportState().Select(p => Bits.Of(p.Value)).ToArray();
        ClusterMetaBatchExecutor? executor = null;
        var distributed = TestLearners.Create(learner, ClusterMetaBatchExecutor.Factory(silos.Cluster.GrainFactory, learner, new ClusterExecutorOptions { Workers = 5 }, e => executor = e));

        MetaTrainer.Train(local, source, options);
        MetaTrainer.Train(distributed, source, options);

        Bits.AssertSameState(local, distributed);
        Assert.Contains(local.ExportState().Select(p => Bits.Of(p.Value)).Zip(before), pair => !pair.First.SequenceEqual(pair.Second));
        Assert.NotNull(executor?.LastRun);
        Assert.Equal(learner == TestLearners.MamlFirstOrderBatched ? 3 : 7, executor.LastRun.Units);
        Assert.True(executor.LastRun.BytesSent > 0 && executor.LastRun.BytesReceived > 0);
    }

    [Fact]
    public void TheMetaGradientOfTwelveTasksOnTwelveWorkersIsTheLocalOneAndUsesSeveralSilos()
    {
        var tasks = Sample(new DescribedTaskSource(TestLearners.Sine, TestLearners.SineTasks), 12, seed: 3);
        var local = TestLearners.Create(TestLearners.MamlSecondOrder);
        ClusterMetaBatchExecutor? executor = null;
        var distributed = TestLearners.Create(TestLearners.MamlSecondOrder, ClusterMetaBatchExecutor.Factory(silos.Cluster.GrainFactory, TestLearners.MamlSecondOrder, new ClusterExecutorOptions { Workers = 12 }, e => executor = e));

        Bits.AssertSameResult(local.ComputeMetaGradient(tasks), distributed.ComputeMetaGradient(tasks));

        // Twelve randomly placed workers on three silos: all on one has probability 3^-11.
        Assert.True(executor!.LastRun!.Silos.Count >= 2, $"Units ran on {string.Join(", ", executor.LastRun.Silos)} only.");

        // The parameters are unchanged: the second meta-batch sends tasks only (a name and a seed each).
        distributed.ComputeMetaGradient(tasks);
        Assert.Equal(12 * (TestLearners.Sine.Length + sizeof(ulong)), executor.LastRun.BytesSent);
    }

    [Fact]
    public void ACoordinatorRestartedFromItsCheckpointResumesWithTheLocalBits()
    {
        const string learner = TestLearners.MamlSecondOrder;
        string path = Path.Combine(Path.GetTempPath(), $"metalearn-orleans-{Guid.NewGuid():N}.safetensors");
        try
        {
            var source = Source(learner, described: true);
            var options = new MetaTrainingOptions { Iterations = 4, MetaBatchSize = 5, Seed = 13 };
            var local = TestLearners.Create(learner);
            MetaTrainer.Train(local, source, options);

            var factory = ClusterMetaBatchExecutor.Factory(silos.Cluster.GrainFactory, learner, new ClusterExecutorOptions { Workers = 3 });
            MetaTrainer.Train(TestLearners.Create(learner, factory), source, options with { Iterations = 2, CheckpointPath = path, CheckpointInterval = 1 });
            var restarted = TestLearners.Create(learner, factory);
            MetaTrainer.Train(restarted, source, options with { CheckpointPath = path, CheckpointInterval = 1, Resume = true });

            Bits.AssertSameState(local, restarted);
        }
        finally
        {
            foreach (string file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileNameWithoutExtension(path) + "*"))
            {
                File.Delete(file);
            }
        }
    }

    internal static ITaskSource Source(string learner, bool described)
    {
        bool clusters = learner == TestLearners.ProtoNets;
        var inner = clusters ? TestLearners.ClusterTasks.Train : TestLearners.SineTasks;
        return described ? new DescribedTaskSource(clusters ? TestLearners.Clusters : TestLearners.Sine, inner) : inner;
    }

    internal static ITask[] Sample(ITaskSource source, int count, ulong seed)
    {
        var generator = new Generator(seed);
        return [.. Enumerable.Range(0, count).Select(_ => source.Sample(generator))];
    }
}
