using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Tests.MetaLearning;

[Collection(nameof(SerialParallelismGroup))]
public class MamlTests
{
    private static Sequential SmallMlp(ulong seed) => new(
        new Linear(1, 5, new Generator(seed), dtype: DType.Float64), new Activation(ActivationKind.Tanh),
        new Linear(5, 4, new Generator(seed + 1), dtype: DType.Float64), new Activation(ActivationKind.Tanh),
        new Linear(4, 1, new Generator(seed + 2), dtype: DType.Float64));

    private static ITask[] SineTasks(int count, ulong seed)
    {
        var source = new SineTaskDistribution(5, 6, DType.Float64);
        var generator = new Generator(seed);
        return [.. Enumerable.Range(0, count).Select(_ => source.Sample(generator))];
    }

    /// <summary>
    /// Central differences of the meta-objective, perturbing each meta-parameter element in place (of the meta-parameters
    /// <paramref name="include"/> accepts by name and value, all when null).
    /// </summary>
    internal static double[] FiniteDifferenceMetaGradient(Maml maml, ITask[] tasks, double epsilon = 1e-6, Func<string, Tensor, bool>? include = null)
    {
        var result = new List<double>();
        foreach (var (name, parameter) in maml.MetaParameterNames.Zip(maml.MetaParameters))
        {
            if (include is not null && !include(name, parameter))
            {
                continue;
            }

            var data = parameter.AsSpan<double>();
            for (int j = 0; j < data.Length; j++)
            {
                double saved = data[j];
                data[j] = saved + epsilon;
                double plus = maml.ComputeMetaGradient(tasks).Loss;
                data[j] = saved - epsilon;
                double minus = maml.ComputeMetaGradient(tasks).Loss;
                data[j] = saved;
                result.Add((plus - minus) / (2 * epsilon));
            }
        }

        return [.. result];
    }

    private static double[] Flatten(IReadOnlyList<Tensor> gradient) => [.. gradient.SelectMany(g => g.ToDoubleArray())];

    [Theory]
    [InlineData(1, TaskBatching.Never)]
    [InlineData(2, TaskBatching.Never)]
    [InlineData(1, TaskBatching.Always)]
    [InlineData(2, TaskBatching.Always)]
    public void SecondOrderMetaGradientMatchesFiniteDifferences(int innerSteps, TaskBatching batching)
    {
        var maml = new Maml(SmallMlp(3), TaskLosses.MeanSquaredError, new MamlOptions { InnerLearningRate = 0.05, InnerSteps = innerSteps, TaskBatching = batching });
        var tasks = SineTasks(3, 7);
        var analytic = Flatten(maml.ComputeMetaGradient(tasks).Gradient);
        var numeric = FiniteDifferenceMetaGradient(maml, tasks);
        Assert.Equal(numeric.Length, analytic.Length);
        for (int i = 0; i < numeric.Length; i++)
        {
            Assert.True(Math.Abs(analytic[i] - numeric[i]) <= 1e-6 + (1e-5 * Math.Abs(numeric[i])), $"element {i}: analytic {analytic[i]}, numeric {numeric[i]}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void MetaGradientThroughBatchNormMatchesFiniteDifferences(int innerSteps)
    {
        // A small conv net with batch norm (batch statistics), classification: 2-way 2-shot tasks of 6×6 images.
        var model = new ConvNet(ways: 2, new Generator(4), blocks: 1, hiddenChannels: 3, imageSize: 6, dtype: DType.Float64);
        var maml = new Maml(model, TaskLosses.CrossEntropy, new MamlOptions { InnerLearningRate = 0.1, InnerSteps = innerSteps });
        var generator = new Generator(12);
        var tasks = Enumerable.Range(0, 2).Select(_ => (ITask)new LearningTask(
            Examples.Classification(Tensor.RandomNormal(generator, [4, 1, 6, 6], dtype: DType.Float64), [0, 0, 1, 1]),
            Examples.Classification(Tensor.RandomNormal(generator, [4, 1, 6, 6], dtype: DType.Float64), [0, 1, 0, 1]),
            new TaskMetadata("random", new Dictionary<string, double>()))).ToArray();
        var analytic = Flatten(maml.ComputeMetaGradient(tasks).Gradient);
        var numeric = FiniteDifferenceMetaGradient(maml, tasks);
        for (int i = 0; i < numeric.Length; i++)
        {
            Assert.True(Math.Abs(analytic[i] - numeric[i]) <= 1e-6 + (1e-4 * Math.Abs(numeric[i])), $"element {i}: analytic {analytic[i]}, numeric {numeric[i]}");
        }
    }

    [Fact]
    public void PooledTaskBuffersGiveTheSameMetaGradientAsAPlainComputation()
    {
        // Activations of [20, 16, 12, 12] are large enough to come from the per-task buffer pool.
        var model = new ConvNet(ways: 4, new Generator(8), blocks: 2, hiddenChannels: 16, imageSize: 12);
        var maml = new Maml(model, TaskLosses.CrossEntropy, new MamlOptions { InnerLearningRate = 0.1 });
        var generator = new Generator(30);
        var tasks = Enumerable.Range(0, 3).Select(_ => (ITask)new LearningTask(
            Examples.Classification(Tensor.RandomNormal(generator, [8, 1, 12, 12]), [0, 0, 1, 1, 2, 2, 3, 3]),
            Examples.Classification(Tensor.RandomNormal(generator, [20, 1, 12, 12]), [.. Enumerable.Range(0, 20).Select(i => i % 4)]),
            new TaskMetadata("random", new Dictionary<string, double>()))).ToArray();

        var first = maml.ComputeMetaGradient(tasks).Gradient;
        var second = maml.ComputeMetaGradient(tasks).Gradient;

        // The same meta-gradient computed by hand, with ordinary allocations.
        var expected = model.Parameters().Select(p => p.ZerosLike()).ToArray();
        foreach (var task in tasks)
        {
            var fast = maml.Adapt(model.Parameters(), task.Support, 1, InnerLoopMode.SecondOrder);
            var loss = TaskLosses.CrossEntropy(model.Forward(task.Query.Inputs, fast), task.Query);
            var grads = MetaLearn.Tensors.Autodiff.Autograd.Grad([loss], model.Parameters());
            for (int p = 0; p < expected.Length; p++)
            {
                expected[p] += grads[p]!;
            }
        }

        for (int p = 0; p < expected.Length; p++)
        {
            Assert.Equal(first[p].ToArray(), second[p].ToArray());
            var hand = (expected[p] * (1.0 / tasks.Length)).ToArray();
            var pooled = first[p].ToArray();
            for (int j = 0; j < hand.Length; j++)
            {
                Assert.True(Math.Abs(hand[j] - pooled[j]) <= 1e-6f * (1 + Math.Abs(hand[j])), $"parameter {p}[{j}]: {pooled[j]} vs {hand[j]}");
            }
        }
    }

    [Fact]
    public void MetaSgdGradientIncludesTheLearningRatesAndMatchesFiniteDifferences()
    {
        var maml = new Maml(SmallMlp(5), TaskLosses.MeanSquaredError, new MamlOptions { InnerLearningRate = 0.05, InnerSteps = 2, LearnInnerLearningRates = true });
        Assert.Equal(2 * maml.Model.Parameters().Count, maml.MetaParameters.Count);
        var tasks = SineTasks(2, 11);
        var analytic = Flatten(maml.ComputeMetaGradient(tasks).Gradient);
        var numeric = FiniteDifferenceMetaGradient(maml, tasks);
        for (int i = 0; i < numeric.Length; i++)
        {
            Assert.True(Math.Abs(analytic[i] - numeric[i]) <= 1e-6 + (1e-5 * Math.Abs(numeric[i])), $"element {i}: analytic {analytic[i]}, numeric {numeric[i]}");
        }
    }

    [Fact]
    public void FirstOrderDiffersFromSecondOrderExactlyByTheHessianTerm()
    {
        // Model f(x) = w·x with MSE: L_s(w) = mean((w·x − y)²), g = 2·mean(x(w·x − y)), H = 2·mean(x²).
        // One inner step w' = w − α·g, so dL_q(w')/dw = L_q'(w')·(1 − α·H): second order = first order · (1 − αH).
        double[] xs = [0.5, -1.5, 2.0];
        double[] ys = [1.0, 0.3, -0.7];
        double[] xq = [1.2, -0.4];
        double[] yq = [0.1, 0.9];
        const double alpha = 0.1;
        var task = new LearningTask(
            Examples.Regression(Tensor.FromArray(xs, 3, 1), Tensor.FromArray(ys, 3, 1)),
            Examples.Regression(Tensor.FromArray(xq, 2, 1), Tensor.FromArray(yq, 2, 1)),
            new TaskMetadata("linear", new Dictionary<string, double>()));

        Linear Model() => new(1, 1, new Generator(9), bias: false, dtype: DType.Float64);
        var secondOrder = new Maml(Model(), TaskLosses.MeanSquaredError, new MamlOptions { InnerLearningRate = alpha });
        var firstOrder = new Maml(Model(), TaskLosses.MeanSquaredError, new MamlOptions { InnerLearningRate = alpha, FirstOrder = true });
        double w = secondOrder.Model.Parameters()[0].Item();

        double g = 2 * xs.Zip(ys).Average(p => p.First * ((w * p.First) - p.Second));
        double h = 2 * xs.Average(x => x * x);
        double adapted = w - (alpha * g);
        double queryGrad = 2 * xq.Zip(yq).Average(p => p.First * ((adapted * p.First) - p.Second));

        double so = secondOrder.ComputeMetaGradient([task]).Gradient[0].Item();
        double fo = firstOrder.ComputeMetaGradient([task]).Gradient[0].Item();
        Assert.Equal(queryGrad, fo, 12);
        Assert.Equal(queryGrad * (1 - (alpha * h)), so, 12);
    }

    [Fact]
    public void MetaGradientIsBitIdenticalWhateverTheThreadCount()
    {
        var tasks = SineTasks(8, 21);
        Tensor[] Gradient(int threads)
        {
            var model = new Sequential(new Linear(1, 40, new Generator(1)), new Activation(ActivationKind.Relu), new Linear(40, 1, new Generator(2)));
            using var limit = TestParallelism.Use(threads);
            return [.. new Maml(model, TaskLosses.MeanSquaredError).ComputeMetaGradient(
                [.. tasks.Select(t => (ITask)new LearningTask(
                    Examples.Regression(t.Support.Inputs.AsType(DType.Float32), ((RegressionExamples)t.Support).Targets.AsType(DType.Float32)),
                    Examples.Regression(t.Query.Inputs.AsType(DType.Float32), ((RegressionExamples)t.Query).Targets.AsType(DType.Float32)),
                    t.Metadata))]).Gradient];
        }

        var serial = Gradient(1);
        var parallel = Gradient(4);
        for (int p = 0; p < serial.Length; p++)
        {
            Assert.Equal(serial[p].ToArray(), parallel[p].ToArray());
        }
    }

    /// <summary>
    /// The classification task loop (tasks in fixed groups on all cores; one product split across cores when a single thread
    /// runs) gives the same bits on 1, 2 and 4 threads, second order, with products large enough to be split.
    /// </summary>
    [Fact]
    public void TaskLoopMetaGradientIsBitIdenticalWhateverTheThreadCount()
    {
        var generator = new Generator(41);
        var tasks = Enumerable.Range(0, 9).Select(_ => (ITask)new LearningTask(
            Examples.Classification(Tensor.RandomNormal(generator, [3, 1, 28, 28]), [0, 1, 2]),
            Examples.Classification(Tensor.RandomNormal(generator, [6, 1, 28, 28]), [0, 0, 1, 1, 2, 2]),
            new TaskMetadata("random", new Dictionary<string, double>()))).ToArray();
        MetaBatchResult Run(int threads)
        {
            var model = new ConvNet(ways: 3, new Generator(9), blocks: 2, hiddenChannels: 64, imageSize: 28);
            using var limit = TestParallelism.Use(threads);
            return new Maml(model, TaskLosses.CrossEntropy, new MamlOptions { InnerLearningRate = 0.1 }).ComputeMetaGradient(tasks);
        }

        var serial = Run(1);
        foreach (int threads in new[] { 2, 3, 8 })
        {
            var parallel = Run(threads);
            Assert.Equal(serial.Loss, parallel.Loss);
            for (int p = 0; p < serial.Gradient.Count; p++)
            {
                Assert.Equal(serial.Gradient[p].ToArray(), parallel.Gradient[p].ToArray());
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BatchedTasksGiveTheTaskLoopMetaGradient(bool firstOrder)
    {
        var tasks = SineTasks(9, 13);
        Maml Make(TaskBatching batching) => new(SmallMlp(8), TaskLosses.MeanSquaredError, new MamlOptions { InnerSteps = 2, FirstOrder = firstOrder, LearnInnerLearningRates = true, TaskBatching = batching });
        var (loopLoss, loop, _, _) = Make(TaskBatching.Never).ComputeMetaGradient(tasks);
        var (batchedLoss, batched, _, _) = Make(TaskBatching.Auto).ComputeMetaGradient(tasks);
        Assert.Equal(loopLoss, batchedLoss, 12);
        var a = Flatten(loop);
        var b = Flatten(batched);
        for (int i = 0; i < a.Length; i++)
        {
            Assert.True(Math.Abs(a[i] - b[i]) <= 1e-12 * (1 + Math.Abs(a[i])), $"element {i}: loop {a[i]}, batched {b[i]}");
        }
    }

    [Fact]
    public void AnilAdaptsOnlyTheHead()
    {
        var model = SmallMlp(4);
        var maml = new Maml(model, TaskLosses.MeanSquaredError, new MamlOptions { Adapted = ParameterSelection.WithPrefix("4.") });
        var task = SineTasks(1, 3)[0];
        var adapted = maml.Adapt(model.Parameters(), task.Support, 1, InnerLoopMode.Detached);
        var named = model.NamedParameters();
        for (int i = 0; i < named.Count; i++)
        {
            bool head = named[i].Name.StartsWith("4.", StringComparison.Ordinal);
            Assert.Equal(!head, ReferenceEquals(adapted[i], named[i].Value));
        }
    }

    [Fact]
    public void RejectsBadOptionsAndEmptyBatches()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Maml(SmallMlp(1), TaskLosses.MeanSquaredError, new MamlOptions { InnerLearningRate = -1 }));
        Assert.Throws<ArgumentException>(() => new Maml(SmallMlp(1), TaskLosses.MeanSquaredError, new MamlOptions { Adapted = ParameterSelection.WithPrefix("nothing.") }));
        Assert.Throws<ArgumentException>(() => new Maml(SmallMlp(1), TaskLosses.MeanSquaredError, new MamlOptions { InnerSteps = 3, StepLearningRates = [0.1] }));
        var maml = new Maml(SmallMlp(1), TaskLosses.MeanSquaredError);
        Assert.Throws<ArgumentException>(() => maml.MetaStep([]));
    }

    [Fact]
    public void BatchedUnitsGiveTheSameBitsOnAnyThreadCount()
    {
        // Sine meta-batch of 25 cut into 5 graphs of 5 tasks, run on 1 to 32 threads.
        var tasks = SineTasks(25, 31);
        IReadOnlyList<Tensor> Run(int threads)
        {
            using var limit = TestParallelism.Use(threads);
            return new Maml(SmallMlp(4), TaskLosses.MeanSquaredError, new MamlOptions { BatchedUnits = 5 }).ComputeMetaGradient(tasks).Gradient;
        }

        var reference = Run(1);
        foreach (int threads in new[] { 2, 3, 8, 16, 32 })
        {
            var other = Run(threads);
            for (int p = 0; p < reference.Count; p++)
            {
                Assert.Equal(reference[p].ToDoubleArray(), other[p].ToDoubleArray());
            }
        }

        Assert.Equal("BatchedUnits", Assert.Throws<ArgumentOutOfRangeException>(() => new MamlOptions { BatchedUnits = 0 }).ParamName);
    }
}
