using MetaLearn.MetaLearning;
using MetaLearn.Orleans.SiloHost;

namespace MetaLearn.Orleans.Tests;

/// <summary>A silo stopped in the middle of a training run: its workers come back on the others and the run's bits do not change.</summary>
public class SiloLossTests(ThreeSilos silos) : IClassFixture<ThreeSilos>
{
    [Fact]
    public void ASiloStoppedMidTrainingLeavesTheResultUnchanged()
    {
        const string learner = TestLearners.MamlSecondOrder;
        var source = new DescribedTaskSource(TestLearners.Sine, TestLearners.SineTasks);
        var options = new MetaTrainingOptions { Iterations = 4, MetaBatchSize = 9, Seed = 21, ProgressInterval = 1 };
        var local = TestLearners.Create(learner);
        MetaTrainer.Train(local, source, options);

        ClusterMetaBatchExecutor? executor = null;
        var distributed = TestLearners.Create(learner, ClusterMetaBatchExecutor.Factory(silos.Cluster.GrainFactory, learner, new ClusterExecutorOptions { Workers = 9 }, e => executor = e));
        global::Orleans.TestingHost.SiloHandle? lost = null;
        var progress = new Stopper(report =>
        {
            if (report.Iteration == 2)
            {
                // Stop a silo that holds workers (9 random placements on 3 silos leave both secondaries empty with probability 3^-9).
                var used = executor!.LastRun!.Silos;
                lost = silos.Cluster.SecondarySilos.First(s => used.Any(u => u.Contains(s.SiloAddress.ToString(), StringComparison.Ordinal)));
                silos.Cluster.StopSiloAsync(lost).GetAwaiter().GetResult();
            }
        });
        MetaTrainer.Train(distributed, source, options, progress: progress);

        Bits.AssertSameState(local, distributed);
        Assert.Equal(2, silos.Cluster.GetActiveSilos().Count());
        Assert.NotNull(lost);
        Assert.DoesNotContain(executor!.LastRun!.Silos, s => s.Contains(lost.SiloAddress.ToString(), StringComparison.Ordinal));
    }

    private sealed class Stopper(Action<MetaTrainingProgress> action) : IProgress<MetaTrainingProgress>
    {
        public void Report(MetaTrainingProgress value) => action(value);
    }
}
