using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Optim;
using MetaLearn.Tensors;
using MetaLearn.Tests.Shared;

namespace MetaLearn.Tests.MetaLearning;

/// <summary>
/// Checkpointed inner steps (<see cref="MamlOptions.CheckpointInnerSteps"/>, <see cref="InnerLoop.CheckpointSteps"/>): the
/// second-order meta-gradient of the unchecked run, bit for bit, from a graph that keeps no step's activations.
/// </summary>
[Collection(nameof(SerialParallelismGroup))]
public sealed class InnerLoopCheckpointTests
{
    private static Sequential Mlp(ulong seed) => new(
        new Linear(1, 8, new Generator(seed), dtype: DType.Float64), new Activation(ActivationKind.Tanh),
        new Linear(8, 1, new Generator(seed + 1), dtype: DType.Float64));

    /// <summary>Two conv blocks (conv, batch norm with batch statistics, ReLU, pool) of 8 channels on 8×8 images: its activations come from the task's buffer pool.</summary>
    private static ConvNet SmallConvNet(ulong seed) => new(ways: 3, new Generator(seed), blocks: 2, hiddenChannels: 8, imageSize: 8);

    private static ITask[] SineTasks(int count, ulong seed)
    {
        var source = new SineTaskDistribution(10, 10, DType.Float64);
        var generator = new Generator(seed);
        return [.. Enumerable.Range(0, count).Select(_ => source.Sample(generator))];
    }

    private static ITask[] ImageTasks(int count, ulong seed)
    {
        var generator = new Generator(seed);
        int[] labels = [0, 0, 1, 1, 2, 2];
        return [.. Enumerable.Range(0, count).Select(_ => (ITask)new LearningTask(
            Examples.Classification(Tensor.RandomNormal(generator, [6, 1, 8, 8]), labels),
            Examples.Classification(Tensor.RandomNormal(generator, [6, 1, 8, 8]), labels),
            new TaskMetadata("random", new Dictionary<string, double>())))];
    }

    private static double[][] MetaGradient(Module model, TaskLoss loss, MamlOptions options, ITask[] tasks)
        => [.. new Maml(model, loss, options).ComputeMetaGradient(tasks).Gradient.Select(g => g.ToDoubleArray())];

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var model in new[] { "mlp", "conv", "mlp-momentum" })
        {
            foreach (int steps in new[] { 1, 3, 5 })
            {
                data.Add(model, steps);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void SecondOrderMetaGradientIsBitIdenticalToTheUncheckedOne(string model, int steps)
    {
        bool conv = model == "conv";
        var options = new MamlOptions
        {
            InnerSteps = steps,
            InnerLearningRate = conv ? 0.2 : 0.05,
            InnerOptimizer = model == "mlp-momentum" ? new DifferentiableSgd(0.05, momentum: 0.9) : null,
            TaskBatching = TaskBatching.Never,
        };
        var tasks = conv ? ImageTasks(2, 40) : SineTasks(3, 41);
        Module Make() => conv ? SmallConvNet(42) : Mlp(43);
        TaskLoss loss = conv ? TaskLosses.CrossEntropy : TaskLosses.MeanSquaredError;

        var expected = MetaGradient(Make(), loss, options, tasks);
        var actual = MetaGradient(Make(), loss, options with { CheckpointInnerSteps = true }, tasks);

        Assert.Equal(expected.Length, actual.Length);
        for (int p = 0; p < expected.Length; p++)
        {
            Assert.Equal(expected[p], actual[p]);
        }

        Assert.Contains(expected, g => g.Any(v => v != 0));
    }

    [Fact]
    public void TheGraphKeptAfterTheInnerLoopHoldsNoStepsActivations()
    {
        // 200 support points through 8 hidden units: a step's activations and inner-gradient graph are far larger than the
        // weights (33 values), so only a graph that keeps the weights alone stays under the unchecked single step.
        var model = Mlp(44);
        var support = Examples.Regression(Tensor.Arange(-5, 5, 0.05, DType.Float64).Reshape(200, 1), Tensor.Zeros([200, 1], DType.Float64));
        var plain = new InnerLoop(model, TaskLosses.MeanSquaredError, new DifferentiableSgd(0.01));
        var checkpointed = new InnerLoop(model, TaskLosses.MeanSquaredError, new DifferentiableSgd(0.01)) { CheckpointSteps = true };

        long oneStep = RetainedGraph.Bytes(plain.Run(model.Parameters(), support, 1, InnerLoopMode.SecondOrder).Weights);
        long fiveSteps = RetainedGraph.Bytes(plain.Run(model.Parameters(), support, 5, InnerLoopMode.SecondOrder).Weights);
        long checkpointedFive = RetainedGraph.Bytes(checkpointed.Run(model.Parameters(), support, 5, InnerLoopMode.SecondOrder).Weights);

        long weightBytes = model.ParameterElementCount() * sizeof(double);
        Assert.True(fiveSteps > 4 * oneStep, $"unchecked: one step {oneStep} bytes, five {fiveSteps}");
        Assert.True(checkpointedFive < oneStep, $"checkpointed five steps {checkpointedFive} bytes, unchecked one step {oneStep}");
        Assert.True(checkpointedFive <= (3 * 5 * weightBytes) + weightBytes, $"checkpointed five steps {checkpointedFive} bytes, weights {weightBytes}");
    }

    [Fact]
    public void TensorsReadByEveryStepGetTheirGradientsToRounding()
    {
        // MAML++'s learned per-step rates and per-step batch-norm copies, Meta-SGD's rates and Meta-Curvature's matrices are
        // read by the steps from outside their weights: the checkpoint finds them, and each step's part of their gradient is
        // summed in its replay.
        var tasks = ImageTasks(2, 46);
        var plusPlus = new MamlOptions { InnerSteps = 3, InnerLearningRate = 0.2, LearnPerStepLearningRates = true, PerStepBatchNormWeights = true };
        var metaSgd = new MamlOptions { InnerSteps = 3, InnerLearningRate = 0.2, LearnInnerLearningRates = true };
        var metaCurvature = new MamlOptions { InnerSteps = 3, InnerLearningRate = 0.2, MetaCurvature = true };
        foreach (var options in new[] { plusPlus, metaSgd, metaCurvature })
        {
            var expected = MetaGradient(SmallConvNet(47), TaskLosses.CrossEntropy, options, tasks);
            var actual = MetaGradient(SmallConvNet(47), TaskLosses.CrossEntropy, options with { CheckpointInnerSteps = true }, tasks);
            Assert.Equal(expected.Length, actual.Length);
            for (int p = 0; p < expected.Length; p++)
            {
                Assert.Contains(expected[p], v => v != 0);
                for (int j = 0; j < expected[p].Length; j++)
                {
                    Assert.True(Math.Abs(expected[p][j] - actual[p][j]) <= 1e-5 * (1 + Math.Abs(expected[p][j])),
                        $"meta-parameter {p}[{j}]: {actual[p][j]} checkpointed, {expected[p][j]} unchecked");
                }
            }
        }
    }

    [Fact]
    public void AModelWhoseForwardPassChangesStateIsRefused()
    {
        var support = SineTasks(1, 48)[0].Support;
        var dropout = new Sequential(new Linear(1, 4, new Generator(1), dtype: DType.Float64), new Dropout(0.5, new Generator(2)),
            new Linear(4, 1, new Generator(3), dtype: DType.Float64));
        var running = new Sequential(new Linear(1, 4, new Generator(1), dtype: DType.Float64),
            new BatchNorm1d(4, BatchNormStatistics.Running, dtype: DType.Float64), new Linear(4, 1, new Generator(3), dtype: DType.Float64));
        foreach (var (model, word) in new[] { ((Module)dropout, "Dropout"), (running, "running statistics") })
        {
            var loop = new InnerLoop(model, TaskLosses.MeanSquaredError, new DifferentiableSgd(0.01)) { CheckpointSteps = true };
            var error = Assert.Throws<InvalidOperationException>(() => loop.Run(model.Parameters(), support, 2, InnerLoopMode.SecondOrder));
            Assert.Contains(word, error.Message, StringComparison.Ordinal);

            // First order keeps no step's activations and never replays, and evaluation mode changes no state.
            Assert.Equal(2, loop.Run(model.Parameters(), support, 2, InnerLoopMode.FirstOrder).State.Steps[0]);
            model.Eval();
            Assert.Equal(2, loop.Run(model.Parameters(), support, 2, InnerLoopMode.SecondOrder).State.Steps[0]);
        }
    }
}
