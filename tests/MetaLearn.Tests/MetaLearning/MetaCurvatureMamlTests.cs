using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Optim;
using MetaLearn.Serialization;
using MetaLearn.Tensors;
using MetaLearn.Testing;
using MetaLearn.Tests.Shared;

namespace MetaLearn.Tests.MetaLearning;

[Collection(nameof(SerialParallelismGroup))]
public sealed class MetaCurvatureMamlTests : IDisposable
{
    private readonly ScratchFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static Sequential SmallMlp(ulong seed, DType dtype = DType.Float64) => new(
        new Linear(1, 5, new Generator(seed), dtype: dtype), new Activation(ActivationKind.Tanh),
        new Linear(5, 4, new Generator(seed + 1), dtype: dtype), new Activation(ActivationKind.Tanh),
        new Linear(4, 1, new Generator(seed + 2), dtype: dtype));

    private static ITask[] SineTasks(int count, ulong seed)
    {
        var source = new SineTaskDistribution(5, 6, DType.Float64);
        var generator = new Generator(seed);
        return [.. Enumerable.Range(0, count).Select(_ => source.Sample(generator))];
    }

    private static ITask[] ImageTasks(int count, ulong seed, DType dtype)
    {
        var generator = new Generator(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (ITask)new LearningTask(
            Examples.Classification(Tensor.RandomNormal(generator, [4, 1, 6, 6], dtype: dtype), [0, 0, 1, 1]),
            Examples.Classification(Tensor.RandomNormal(generator, [4, 1, 6, 6], dtype: dtype), [0, 1, 0, 1]),
            new TaskMetadata("random", new Dictionary<string, double>())))];
    }

    private static ConvNet SmallConvNet(DType dtype) => new(ways: 2, new Generator(4), blocks: 1, hiddenChannels: 3, imageSize: 6, dtype: dtype);

    /// <summary>Moves every curvature matrix off the identity by a seeded random amount, so a test does not pass for the identity alone.</summary>
    private static void Perturb(Maml maml, ulong seed)
    {
        var generator = new Generator(seed);
        foreach (var matrix in maml.Curvature.OfType<CurvatureMatrices>().SelectMany(c => c.Matrices))
        {
            matrix.CopyFrom(matrix + Tensor.RandomNormal(generator, [.. matrix.Shape], std: 0.2, dtype: matrix.DType));
        }
    }

    private static bool IsIdentity(Tensor matrix)
    {
        int n = matrix.Shape[0];
        var values = matrix.ToDoubleArray();
        return values.Select((v, k) => v == (k / n == k % n ? 1.0 : 0.0)).All(b => b);
    }

    [Fact]
    public void IdentityMatricesGiveMamlsMetaGradientBitForBit()
    {
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
        {
            var options = new MamlOptions { InnerLearningRate = 0.1, InnerSteps = 2 };
            var tasks = ImageTasks(2, 3, dtype);
            var plain = new Maml(SmallConvNet(dtype), TaskLosses.CrossEntropy, options).ComputeMetaGradient(tasks);
            var curved = new Maml(SmallConvNet(dtype), TaskLosses.CrossEntropy, options with { MetaCurvature = true });
            var result = curved.ComputeMetaGradient(tasks);

            Assert.Equal(plain.Loss, result.Loss);
            for (int i = 0; i < plain.Gradient.Count; i++)
            {
                Assert.Equal(plain.Gradient[i].ToDoubleArray(), result.Gradient[i].ToDoubleArray());
            }

            // The matrices get a meta-gradient of their own, which is not zero.
            Assert.True(result.Gradient.Count > plain.Gradient.Count);
            Assert.Contains(result.Gradient.Skip(plain.Gradient.Count), g => g.ToDoubleArray().Any(v => v != 0));
        }
    }

    [Fact]
    public void ConvLinearAndBiasParametersGetTheirMatricesAndAnilOnlyTheHeads()
    {
        var model = SmallConvNet(DType.Float32);
        var maml = new Maml(model, TaskLosses.CrossEntropy, new MamlOptions { MetaCurvature = true });
        var named = model.NamedParameters();
        for (int i = 0; i < named.Count; i++)
        {
            var shape = named[i].Value.Shape;
            var matrices = maml.Curvature[i]!.Matrices;
            Assert.Equal(Math.Min(shape.Length, 3), matrices.Count);
            Assert.Equal([shape[0], shape[0]], matrices[0].Shape.ToArray());
            Assert.All(matrices, m => Assert.True(m.RequiresGrad && IsIdentity(m)));
            Assert.Contains(maml.MetaParameterNames, n => n == "curvature_out." + named[i].Name);
        }

        var conv = maml.Curvature[named.Select(p => p.Value.Rank).ToList().IndexOf(4)]!;
        Assert.Equal([9, 9], conv.Filter!.Shape.ToArray());

        var anil = new Maml(SmallConvNet(DType.Float32), TaskLosses.CrossEntropy, new MamlOptions { MetaCurvature = true, Adapted = ParameterSelection.WithPrefix(named[^1].Name[..(named[^1].Name.IndexOf('.', StringComparison.Ordinal) + 1)]) });
        Assert.Equal(2, anil.Curvature.Count(c => c is not null));
        Assert.NotNull(anil.Curvature[^1]);
    }

    /// <summary>
    /// The meta-gradient with respect to every curvature matrix of at most 100 elements (all but the conv net head's 27×27
    /// input matrix, which only makes the test slower) against central differences of the meta-objective.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheMetaGradientWithRespectToTheMatricesMatchesFiniteDifferences(bool conv)
    {
        var maml = conv
            ? new Maml(SmallConvNet(DType.Float64), TaskLosses.CrossEntropy, new MamlOptions { InnerLearningRate = 0.1, MetaCurvature = true })
            : new Maml(SmallMlp(3), TaskLosses.MeanSquaredError, new MamlOptions { InnerLearningRate = 0.05, InnerSteps = 2, MetaCurvature = true });
        Perturb(maml, 17);
        var tasks = conv ? ImageTasks(1, 12, DType.Float64) : SineTasks(2, 7);
        static bool Small(string name, Tensor value) => name.StartsWith("curvature_", StringComparison.Ordinal) && value.Count <= 100;
        var gradient = maml.ComputeMetaGradient(tasks).Gradient;
        var analytic = maml.MetaParameterNames.Zip(maml.MetaParameters, gradient).Where(p => Small(p.First, p.Second)).SelectMany(p => p.Third.ToDoubleArray()).ToArray();
        var numeric = MamlTests.FiniteDifferenceMetaGradient(maml, tasks, include: Small);
        Assert.Equal(numeric.Length, analytic.Length);
        for (int i = 0; i < numeric.Length; i++)
        {
            Assert.True(Math.Abs(analytic[i] - numeric[i]) <= 1e-6 + (1e-5 * Math.Abs(numeric[i])), $"element {i}: analytic {analytic[i]}, numeric {numeric[i]}");
        }

        // A conv bias followed by batch norm has no effect on the output, so its matrix's gradient is zero; the rest are not.
        int checkedElements = numeric.Length, nonZero = analytic.Count(v => Math.Abs(v) > 1e-8);
        Assert.True(checkedElements > (conv ? 100 : 50), $"{checkedElements} elements checked");
        Assert.True(nonZero > checkedElements / 2, $"{nonZero} of {checkedElements} gradient elements are not zero");
    }

    [Fact]
    public void AnInnerLoopOfOnesOwnTakesTheRuleAndDifferentiatesThroughTheMatrices()
    {
        var model = SmallMlp(4);
        var weights = model.Parameters();
        var matrices = weights.Select(w => (CurvatureMatrices?)CurvatureMatrices.Identity(w.Shape.AsSpan(), w.DType)).ToArray();
        var trained = matrices.SelectMany(m => m!.Matrices).ToArray();
        foreach (var matrix in trained)
        {
            matrix.RequiresGrad = true;
        }

        var loop = new InnerLoop(model, TaskLosses.MeanSquaredError, new MetaCurvature(new DifferentiableSgd(0.1), matrices));
        var task = SineTasks(1, 5)[0];
        var fast = loop.Run(weights, task.Support, 2, InnerLoopMode.SecondOrder).Weights;
        var query = TaskLosses.MeanSquaredError(model.Forward(task.Query.Inputs, fast), task.Query);
        var gradients = MetaLearn.Tensors.Autodiff.Autograd.Grad([query], trained);
        Assert.All(gradients, g => Assert.Contains(g!.ToDoubleArray(), v => v != 0));
    }

    [Fact]
    public void BatchedTasksGetTheSameMetaGradientToRounding()
    {
        Maml Make(TaskBatching batching)
        {
            var maml = new Maml(SmallMlp(8), TaskLosses.MeanSquaredError, new MamlOptions { InnerSteps = 2, MetaCurvature = true, TaskBatching = batching });
            Perturb(maml, 2);
            return maml;
        }

        var tasks = SineTasks(4, 9);
        var alone = Make(TaskBatching.Never).ComputeMetaGradient(tasks).Gradient;
        var batched = Make(TaskBatching.Always).ComputeMetaGradient(tasks).Gradient;
        for (int i = 0; i < alone.Count; i++)
        {
            var a = alone[i].ToDoubleArray();
            var b = batched[i].ToDoubleArray();
            for (int j = 0; j < a.Length; j++)
            {
                Assert.True(Math.Abs(a[j] - b[j]) <= 1e-12 * (1 + Math.Abs(a[j])), $"meta-parameter {i}[{j}]: {a[j]} vs {b[j]}");
            }
        }
    }

    [Fact]
    public void TheMatricesSurviveAStateFileAndACheckpointedResume()
    {
        var sines = new SineTaskDistribution(5, 5);
        var options = new MamlOptions { MetaCurvature = true, Outer = new OuterLoopOptions { LearningRate = 0.01 } };
        MetaTrainingOptions Run(long iterations, string? path, bool resume = false) => new() { Iterations = iterations, MetaBatchSize = 3, Seed = 9, CheckpointPath = path, CheckpointInterval = 4, Resume = resume };
        static float[][] Values(Maml maml) => [.. maml.MetaParameters.Select(p => p.ToArray())];

        var straight = new Maml(SmallMlp(1, DType.Float32), TaskLosses.MeanSquaredError, options);
        MetaTrainer.Train(straight, sines, Run(8, null));
        Assert.Contains(straight.Curvature.OfType<CurvatureMatrices>().SelectMany(c => c.Matrices), m => !IsIdentity(m));

        string path = _folder.PathOf("run.safetensors");
        MetaTrainer.Train(new Maml(SmallMlp(1, DType.Float32), TaskLosses.MeanSquaredError, options), sines, Run(4, path));
        var resumed = new Maml(SmallMlp(50, DType.Float32), TaskLosses.MeanSquaredError, options);
        MetaTrainer.Train(resumed, sines, Run(8, path, resume: true));
        Assert.Equal(Values(straight), Values(resumed));

        string file = _folder.PathOf("learner.safetensors");
        MetaLearnerFile.Save(file, straight);
        var reloaded = new Maml(SmallMlp(70, DType.Float32), TaskLosses.MeanSquaredError, options);
        MetaLearnerFile.Load(file, reloaded);
        Assert.Equal(Values(straight), Values(reloaded));
        var plain = new Maml(SmallMlp(70, DType.Float32), TaskLosses.MeanSquaredError, options with { MetaCurvature = false });
        Assert.ThrowsAny<ArgumentException>(() => MetaLearnerFile.Load(file, plain));
    }

    [Fact]
    public void ATinyTaskFamilyIsLearnedAboveChanceAndTheMatricesMove()
    {
        var clusters = TinyTasks.Clusters(ways: 5, shots: 1);
        var model = TinyTasks.Mlp(clusters.InputSize, clusters.Ways, hidden: 16);
        var maml = new Maml(model, TaskLosses.CrossEntropy, new MamlOptions { InnerLearningRate = 0.5, InnerSteps = 1, MetaCurvature = true, Outer = new OuterLoopOptions { LearningRate = 0.01 } });
        var report = LearningAssert.AboveChance(maml, clusters.Train, clusters.Test, clusters.Ways, margin: 0.3, new LearningCheck { Iterations = 60, EvaluationTasks = 50 });
        Assert.True(report.After.MeanAccuracy > report.Before.MeanAccuracy + 0.2, $"{report.Before.MeanAccuracy} -> {report.After.MeanAccuracy}");
        Assert.All(maml.Curvature.OfType<CurvatureMatrices>().SelectMany(c => c.Matrices).Where(m => m.Count > 1), m => Assert.False(IsIdentity(m)));
    }
}
