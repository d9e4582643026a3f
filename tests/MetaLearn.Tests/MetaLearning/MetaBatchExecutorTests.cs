using MetaLearn.MetaLearning;
using MetaLearn.Tensors;

namespace MetaLearn.Tests.MetaLearning;

[Collection(nameof(SerialParallelismGroup))]
public class MetaBatchExecutorTests
{
    private static readonly Tensor[] Templates = [Tensor.Zeros([3], DType.Float32), Tensor.Zeros([2, 2], DType.Float32)];

    /// <summary>
    /// Per-task gradients whose float32 sum depends on the order of addition (large and small magnitudes), so any sum in
    /// completion order rather than task order shows in the bits.
    /// </summary>
    private static TaskOutcome OrderSensitiveTask(int i)
    {
        float big = (i % 3 == 0 ? 1e7f : -3e6f) * (1 + (i % 5));
        float small = 0.1f * (i + 1);
        return new TaskOutcome(
            (i * 0.37) + 1,
            [Tensor.FromArray(new[] { big, small, big * small }), Tensor.FromArray(new[] { small, -big, 1f / (i + 1), big }, 2, 2)]);
    }

    private static (double Loss, float[][] Gradient) Run(int tasks, int threads, ulong jitterSeed)
    {
        using var limit = TestParallelism.Use(threads);
        var jitter = new Generator(jitterSeed);
        var delays = Enumerable.Range(0, tasks).Select(_ => jitter.NextInt(3)).ToArray();
        var executor = new MetaBatchExecutor(Templates);
        var result = executor.Run(tasks, i =>
        {
            // Random stalls make tasks finish in a different order on every run.
            Thread.Sleep(delays[i]);
            return OrderSensitiveTask(i);
        });
        return (result.Loss, [.. result.Gradient.Select(g => g.ToArray())]);
    }

    [Fact]
    public void TheSumIsBitIdenticalForAnyThreadCountAndCompletionOrder()
    {
        var reference = Run(32, 1, 1);
        foreach (int threads in new[] { 1, 2, 3, 8, 16, 32 })
        {
            for (ulong run = 0; run < 6; run++)
            {
                var other = Run(32, threads, 100 + run);
                Assert.Equal(reference.Loss, other.Loss);
                for (int p = 0; p < reference.Gradient.Length; p++)
                {
                    Assert.Equal(reference.Gradient[p], other.Gradient[p]);
                }
            }
        }
    }

    [Fact]
    public void TheMeanIsTheTaskOrderSumScaled()
    {
        var result = new MetaBatchExecutor(Templates).Run(5, OrderSensitiveTask);
        for (int p = 0; p < Templates.Length; p++)
        {
            var expected = new float[Templates[p].Count];
            for (int i = 0; i < 5; i++)
            {
                var g = OrderSensitiveTask(i).Gradient[p]!.ToArray();
                for (int j = 0; j < expected.Length; j++)
                {
                    expected[j] += g[j] * (float)(1.0 / 5);
                }
            }

            Assert.Equal(expected, result.Gradient[p].ToArray());
        }

        Assert.Equal(Enumerable.Range(0, 5).Average(i => (i * 0.37) + 1), result.Loss, 12);
        Assert.Equal(5, result.TasksUsed);
    }

    [Fact]
    public void UnitsOfSeveralTasksAreWeightedByTheirSize()
    {
        // Units [0, 2) and [2, 5): each returns its own mean; the result is the mean over all five tasks.
        var executor = new MetaBatchExecutor([Tensor.Zeros([1], DType.Float64)]);
        var result = executor.Run(5, 2, (first, count) => new TaskOutcome(first, [Tensor.FromArray(new double[] { Enumerable.Range(first, count).Average() })]), null);
        Assert.Equal(2.0, result.Gradient[0].Item(), 12);
        Assert.Equal(((0.0 * 2) + (2.0 * 3)) / 5, result.Loss, 12);
    }

    [Fact]
    public void ANonFiniteTaskIsNamedOrSkipped()
    {
        TaskOutcome Task(int i) => i == 3
            ? new TaskOutcome(1, [Tensor.FromArray(new[] { float.NaN, 0, 0 }), null])
            : new TaskOutcome(1, [Tensor.Ones([3]), Tensor.Ones([2, 2])]);

        foreach (int threads in new[] { 1, 4 })
        {
            using var limit = TestParallelism.Use(threads);
            var executor = new MetaBatchExecutor(Templates, ["weight", "bias"]);
            var error = Assert.Throws<NonFiniteTaskException>(() => executor.Run(6, Task));
            Assert.Equal(3, error.TaskIndex);
            Assert.Contains("'weight'", error.Message, StringComparison.Ordinal);

            var skipped = executor.Run(6, Task, NonFiniteTaskPolicy.SkipTask);
            Assert.Equal([3], skipped.SkippedTasks);
            Assert.Equal(5, skipped.TasksUsed);
            Assert.Equal([1f, 1f, 1f], skipped.Gradient[0].ToArray());
        }
    }

    [Fact]
    public void ABadTaskInsideAUnitIsFoundByRunningItsTasksAlone()
    {
        var executor = new MetaBatchExecutor([Tensor.Zeros([1], DType.Float64)]);
        TaskOutcome One(int i) => new(i == 1 ? double.PositiveInfinity : i, [Tensor.FromArray(new double[] { i })]);
        TaskOutcome Unit(int first, int count) => Enumerable.Range(first, count).Any(i => i == 1)
            ? new TaskOutcome(double.NaN, [Tensor.FromArray(new[] { double.NaN })])
            : new TaskOutcome(Enumerable.Range(first, count).Average(), [Tensor.FromArray(new double[] { Enumerable.Range(first, count).Average() })]);

        Assert.Equal(1, Assert.Throws<NonFiniteTaskException>(() => executor.Run(4, 2, Unit, One)).TaskIndex);
        var result = executor.Run(4, 2, Unit, One, NonFiniteTaskPolicy.SkipTask);
        Assert.Equal([1], result.SkippedTasks);
        Assert.Equal((0.0 + 2 + 3) / 3, result.Gradient[0].Item(), 12);
    }

    [Fact]
    public void AnErrorInAParallelTaskArrivesAsItself()
    {
        using var limit = TestParallelism.Use(4);
        var executor = new MetaBatchExecutor(Templates);
        var error = Assert.Throws<ArgumentException>(() => executor.Run(8, i => i == 5 ? throw new ArgumentException("bad task 5", "tasks") : OrderSensitiveTask(i)));
        Assert.Equal("tasks", error.ParamName);
    }

    [Fact]
    public void BadArgumentsAreRejected()
    {
        var executor = new MetaBatchExecutor(Templates);
        Assert.Throws<ArgumentOutOfRangeException>(() => executor.Run(0, OrderSensitiveTask));
        Assert.Throws<ArgumentOutOfRangeException>(() => executor.Run(3, 4, (f, c) => OrderSensitiveTask(f), null));
        Assert.Throws<InvalidOperationException>(() => executor.Run(2, i => new TaskOutcome(0, [Tensor.Zeros([3])])));
        Assert.Throws<InvalidOperationException>(() => executor.Run(2, i => new TaskOutcome(0, [Tensor.Zeros([4]), null])));
        Assert.Throws<ArgumentException>(() => new MetaBatchExecutor([]));
    }
}
