using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.Orleans.SiloHost;
using MetaLearn.Tensors;

namespace MetaLearn.Orleans.Tests;

/// <summary>A task that throws, a non-finite task, and a silo lost during training.</summary>
[Collection(nameof(SharedThreeSilos))]
public class FaultTests(ThreeSilos silos)
{
    [Fact]
    public void ATaskThatThrowsIsNamedWithItsSilo()
    {
        var tasks = DistributedEqualityTests.Sample(TestLearners.SineTasks, 5, seed: 4);
        tasks[2] = new LearningTask(Examples.Regression(Tensor.Zeros(5, 3), Tensor.Zeros(5, 1)), tasks[2].Query, tasks[2].Metadata);
        var distributed = Distributed(TestLearners.MamlSecondOrder, out _);

        var error = Assert.Throws<RemoteTaskException>(() => distributed.ComputeMetaGradient(tasks));

        Assert.Equal(2, error.FirstTask);
        Assert.Equal(1, error.TaskCount);
        Assert.NotEmpty(error.Silo);
        Assert.Contains("task 2 of the meta-batch", error.Message, StringComparison.Ordinal);
        Assert.Contains(error.Silo, error.Message, StringComparison.Ordinal);
        Assert.Contains("ArgumentException", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANonFiniteTaskIsSkippedAsLocally()
    {
        var tasks = WithNaNTargets(1, 4);
        var local = TestLearners.Create(TestLearners.MamlSkip);
        var distributed = Distributed(TestLearners.MamlSkip, out _);

        var expected = local.ComputeMetaGradient(tasks);
        var actual = distributed.ComputeMetaGradient(tasks);

        Assert.Equal([1, 4], actual.SkippedTasks);
        Bits.AssertSameResult(expected, actual);
    }

    [Fact]
    public void ANonFiniteTaskThrowsAsLocally()
    {
        var tasks = WithNaNTargets(4, 1);
        var local = TestLearners.Create(TestLearners.MamlSecondOrder);
        var distributed = Distributed(TestLearners.MamlSecondOrder, out _);

        // Locally, threads racing may stop the meta-batch at task 4 before task 1 has run; the cluster executor names the
        // lowest non-finite task, with the message the local executor gives for it (alone among finite tasks).
        var anyLocal = Assert.Throws<NonFiniteTaskException>(() => local.ComputeMetaGradient(tasks));
        var expected = Assert.Throws<NonFiniteTaskException>(() => local.ComputeMetaGradient(tasks[..2]));
        var actual = Assert.Throws<NonFiniteTaskException>(() => distributed.ComputeMetaGradient(tasks));

        Assert.True(anyLocal.TaskIndex is 1 or 4, $"The local executor named task {anyLocal.TaskIndex}.");
        Assert.Equal(1, expected.TaskIndex);
        Assert.Equal(expected.TaskIndex, actual.TaskIndex);
        Assert.Equal(expected.Message, actual.Message);
    }

    private GradientMetaLearner Distributed(string learner, out Func<ClusterMetaBatchExecutor?> executor)
    {
        ClusterMetaBatchExecutor? created = null;
        executor = () => created;
        return TestLearners.Create(learner, ClusterMetaBatchExecutor.Factory(silos.Cluster.GrainFactory, learner, new ClusterExecutorOptions { Workers = 3 }, e => created = e));
    }

    private static ITask[] WithNaNTargets(params int[] bad)
    {
        var tasks = DistributedEqualityTests.Sample(TestLearners.SineTasks, 6, seed: 5);
        foreach (int i in bad)
        {
            var query = (RegressionExamples)tasks[i].Query;
            tasks[i] = new LearningTask(tasks[i].Support, Examples.Regression(query.Inputs, Tensor.Full([query.Targets.Shape[0], 1], double.NaN, DType.Float32)), tasks[i].Metadata);
        }

        return tasks;
    }
}
