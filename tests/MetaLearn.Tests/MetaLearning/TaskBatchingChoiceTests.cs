using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Tests.MetaLearning;

/// <summary>
/// Task batching is the caller's choice, not a guess from the loss delegate's identity: the default runs task by task
/// whatever the loss, and <see cref="TaskBatching.Auto"/> batches with any loss the caller vouches for.
/// </summary>
public class TaskBatchingChoiceTests
{
    private static readonly TaskLoss UserMeanSquaredError = (predictions, examples) =>
        Losses.MeanSquaredError(predictions, ((RegressionExamples)examples).Targets);

    private static readonly TaskLoss SummedSquaredError = (predictions, examples) =>
    {
        var difference = predictions - ((RegressionExamples)examples).Targets;
        return (difference * difference).Sum();
    };

    [Fact]
    public void ByDefaultEveryTaskIsItsOwnUnitEvenWithTheLibrarysMeanSquaredError()
    {
        var maml = new UnitProbe(TaskLosses.MeanSquaredError, new MamlOptions());
        Assert.Equal(TaskBatching.Never, new MamlOptions().TaskBatching);
        Assert.Equal(8, maml.Units(SineTasks(8)));
    }

    [Fact]
    public void AutoBatchesWithALossTheCallerWroteAndGivesTheTaskLoopGradient()
    {
        var tasks = SineTasks(8);
        var auto = new UnitProbe(UserMeanSquaredError, new MamlOptions { TaskBatching = TaskBatching.Auto, BatchedUnits = 2 });
        Assert.Equal(2, auto.Units(tasks));
        var loop = new UnitProbe(UserMeanSquaredError, new MamlOptions()).ComputeMetaGradient(tasks);
        var batched = auto.ComputeMetaGradient(tasks);
        Assert.Equal(loop.Loss, batched.Loss, 12);
        for (int p = 0; p < loop.Gradient.Count; p++)
        {
            var a = loop.Gradient[p].ToDoubleArray();
            var b = batched.Gradient[p].ToDoubleArray();
            for (int i = 0; i < a.Length; i++)
            {
                Assert.True(Math.Abs(a[i] - b[i]) <= 1e-12 * (1 + Math.Abs(a[i])), $"parameter {p} element {i}: loop {a[i]}, batched {b[i]}");
            }
        }
    }

    [Fact]
    public void ASummedLossLeftAtTheDefaultKeepsItsPerTaskMetaGradient()
    {
        // Why the library does not batch on its own: stacked, a summed loss would add the tasks' losses instead of
        // averaging them. At the default the meta-gradient is the mean of the per-task ones.
        var tasks = SineTasks(4);
        var all = new UnitProbe(SummedSquaredError, new MamlOptions()).ComputeMetaGradient(tasks);
        var mean = new double[all.Gradient[0].ToDoubleArray().Length];
        foreach (var task in tasks)
        {
            var one = new UnitProbe(SummedSquaredError, new MamlOptions()).ComputeMetaGradient([task]).Gradient[0].ToDoubleArray();
            for (int i = 0; i < mean.Length; i++)
            {
                mean[i] += one[i] / tasks.Length;
            }
        }

        var got = all.Gradient[0].ToDoubleArray();
        for (int i = 0; i < mean.Length; i++)
        {
            Assert.True(Math.Abs(got[i] - mean[i]) <= 1e-12 * (1 + Math.Abs(mean[i])), $"element {i}: {got[i]} vs mean {mean[i]}");
        }
    }

    [Fact]
    public void AlwaysRefusesClassificationTasksNamingWhatPreventsIt()
    {
        var maml = new UnitProbe(TaskLosses.CrossEntropy, new MamlOptions { TaskBatching = TaskBatching.Always });
        var x = Tensor.Zeros([2, 1], DType.Float64);
        var task = new LearningTask(Examples.Classification(x, [0, 1]), Examples.Classification(x, [1, 0]), new TaskMetadata("two", new Dictionary<string, double>()));
        var error = Assert.Throws<ArgumentException>(() => maml.Units([task, task]));
        Assert.Contains("regression tasks of equal sizes", error.Message, StringComparison.Ordinal);
    }

    private static ITask[] SineTasks(int count)
    {
        var source = new SineTaskDistribution(5, 6, DType.Float64);
        var generator = new Generator(11);
        return [.. Enumerable.Range(0, count).Select(_ => source.Sample(generator))];
    }

    private sealed class UnitProbe(TaskLoss loss, MamlOptions options) : Maml(
        new Sequential(
            new Linear(1, 6, new Generator(3), dtype: DType.Float64), new Activation(ActivationKind.Tanh),
            new Linear(6, 1, new Generator(4), dtype: DType.Float64)),
        loss,
        options with { InnerLearningRate = 0.05, InnerSteps = 2 })
    {
        public int Units(IReadOnlyList<ITask> tasks) => MetaBatchUnits(tasks);
    }
}
