using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Optim;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;
using MetaLearn.Testing;

namespace MetaLearn.Tests.MetaLearning;

/// <summary>MAML++ (Antoniou, Edwards &amp; Storkey 2019) as options of <see cref="Maml"/>: each option alone and together.</summary>
[Collection(nameof(SerialParallelismGroup))]
public sealed class MamlPlusPlusTests : IDisposable
{
    private const string BatchNormPrefix = "1.";

    private readonly string _folder = Directory.CreateTempSubdirectory("metalearn-mamlpp-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Linear, batch norm (batch statistics), tanh, linear: the smallest model with every kind of MAML++ parameter.</summary>
    private static Sequential BatchNormMlp(ulong seed, int inputs = 1, int hidden = 6, int outputs = 1, DType dtype = DType.Float64) => new(
        new Linear(inputs, hidden, new Generator(seed), dtype: dtype), new BatchNorm1d(hidden, dtype: dtype), new Activation(ActivationKind.Tanh),
        new Linear(hidden, outputs, new Generator(seed + 1), dtype: dtype));

    private static ITask[] SineTasks(int count, ulong seed, DType dtype = DType.Float64)
    {
        var source = new SineTaskDistribution(5, 6, dtype);
        var generator = new Generator(seed);
        return [.. Enumerable.Range(0, count).Select(_ => source.Sample(generator))];
    }

    private static MamlOptions AllOptions(int steps = 2) => new()
    {
        InnerLearningRate = 0.05,
        InnerSteps = steps,
        MultiStepLossIterations = 8,
        PerStepBatchNormWeights = true,
        LearnPerStepLearningRates = true,
        FirstOrderIterations = 3,
        Outer = new OuterLoopOptions { Schedule = new CosineAnnealing(0.01, 20, minimum: 1e-4) },
    };

    private static double[] Flatten(IReadOnlyList<Tensor> gradient) => [.. gradient.SelectMany(g => g.ToDoubleArray())];


    private static void AssertBitIdentical(IReadOnlyList<Tensor> expected, IReadOnlyList<Tensor> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int p = 0; p < expected.Count; p++)
        {
            Assert.Equal(expected[p].ToDoubleArray(), actual[p].ToDoubleArray());
        }
    }

    /// <summary>Runs <paramref name="count"/> meta-steps at outer learning rate 0: the step count advances, the weights stay.</summary>
    private static void AdvanceWithoutLearning(Maml maml, ITask[] tasks, int count)
    {
        long before = maml.OuterOptimizer.StepCount;
        var weights = maml.Model.Parameters().Select(p => p.ToDoubleArray()).ToArray();
        for (int i = 0; i < count; i++)
        {
            maml.MetaStep(tasks);
        }

        Assert.Equal(before + count, maml.OuterOptimizer.StepCount);
        Assert.Equal(weights, maml.Model.Parameters().Select(p => p.ToDoubleArray()).ToArray());
    }

    [Fact]
    public void WithTheOptionsOffTheMetaGradientIsTheSameComputationBitForBit()
    {
        var task = SineTasks(1, 3)[0];
        var maml = new Maml(BatchNormMlp(5), TaskLosses.MeanSquaredError, new MamlOptions { InnerLearningRate = 0.05, InnerSteps = 3 });
        Assert.Equal(maml.Model.Parameters().Count, maml.MetaParameters.Count);
        Assert.Empty(maml.LearnedStepLearningRates);
        Assert.Equal([0.0, 0.0, 1.0], maml.CurrentStepLossWeights);

        // MAML's meta-gradient as the paper writes it: adapt, take the query loss, differentiate through the adaptation.
        var fast = maml.InnerLoop.Run(maml.Model.Parameters(), task.Support, 3, InnerLoopMode.SecondOrder).Weights;
        var loss = TaskLosses.MeanSquaredError(maml.Model.Forward(task.Query.Inputs, fast), task.Query);
        var byHand = Autograd.Grad([loss], maml.MetaParameters, null, createGraph: false, allowUnused: true);
        AssertBitIdentical([.. byHand.Select(g => g!)], maml.ComputeMetaGradient([task]).Gradient);

        // Options present but with nothing to do (no annealing period, no first-order period) change no bit either.
        var tasks = SineTasks(4, 4);
        var neutral = new Maml(BatchNormMlp(5), TaskLosses.MeanSquaredError, new MamlOptions { InnerLearningRate = 0.05, InnerSteps = 3, MultiStepLossIterations = 0, FirstOrderIterations = 0 });
        Assert.Equal(maml.ComputeMetaGradient(tasks).Loss, neutral.ComputeMetaGradient(tasks).Loss);
        AssertBitIdentical(maml.ComputeMetaGradient(tasks).Gradient, neutral.ComputeMetaGradient(tasks).Gradient);
    }

    [Fact]
    public void MultiStepLossWeightsStartUniformAndAnnealTowardTheLastStep()
    {
        Assert.Equal([0.2, 0.2, 0.2, 0.2, 0.2], MultiStepLoss.Weights(5, 0, 100), new ToleranceComparer(1e-15));
        var half = MultiStepLoss.Weights(5, 50, 100);
        Assert.Equal([0.1, 0.1, 0.1, 0.1, 0.6], half, new ToleranceComparer(1e-15));
        var late = MultiStepLoss.Weights(5, 99, 100);
        Assert.Equal([0.006, 0.006, 0.006, 0.006, 0.976], late, new ToleranceComparer(1e-15));
        Assert.Equal([0.0, 0.0, 0.0, 0.0, 1.0], MultiStepLoss.Weights(5, 100, 100));
        Assert.Equal([1.0], MultiStepLoss.Weights(1, 3, 10));
        for (long t = 0; t < 100; t += 7)
        {
            Assert.Equal(1.0, MultiStepLoss.Weights(5, t, 100).Sum(), 14);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => MultiStepLoss.Weights(0, 0, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => MultiStepLoss.Weights(2, -1, 10));
    }

    [Fact]
    public void AfterItsAnnealingPeriodTheMultiStepLossIsPlainMamlBitForBit()
    {
        // Weights (0, 0, 1) once the period is over: the meta-gradient is plain MAML's; during it, it is not.
        var tasks = SineTasks(3, 8);
        var zero = new OuterLoopOptions { LearningRate = 0 };
        var plain = new Maml(BatchNormMlp(2), TaskLosses.MeanSquaredError, new MamlOptions { InnerLearningRate = 0.05, InnerSteps = 3, Outer = zero });
        var msl = new Maml(BatchNormMlp(2), TaskLosses.MeanSquaredError, new MamlOptions { InnerLearningRate = 0.05, InnerSteps = 3, MultiStepLossIterations = 2, Outer = zero });
        var expected = plain.ComputeMetaGradient(tasks);
        var during = msl.ComputeMetaGradient(tasks);
        Assert.NotEqual(expected.Loss, during.Loss);
        AdvanceWithoutLearning(msl, tasks, 2);
        Assert.Equal([0.0, 0.0, 1.0], msl.CurrentStepLossWeights);
        var after = msl.ComputeMetaGradient(tasks);
        Assert.Equal(expected.Loss, after.Loss);
        AssertBitIdentical(expected.Gradient, after.Gradient);
    }

    [Fact]
    public void TheMultiStepLossIsTheWeightedSumOfTheQueryLossAfterEachStep()
    {
        var task = SineTasks(1, 6)[0];
        var maml = new Maml(BatchNormMlp(7), TaskLosses.MeanSquaredError, new MamlOptions { InnerLearningRate = 0.05, InnerSteps = 3, MultiStepLossIterations = 10 });
        var weights = maml.CurrentStepLossWeights;
        double expected = 0;
        for (int k = 1; k <= 3; k++)
        {
            var fast = maml.Adapt(maml.Model.Parameters(), task.Support, k, InnerLoopMode.SecondOrder);
            expected += weights[k - 1] * TaskLosses.MeanSquaredError(maml.Model.Forward(task.Query.Inputs, fast), task.Query).Item();
        }

        Assert.Equal(expected, maml.ComputeMetaGradient([task]).Loss, 12);
    }

    public static TheoryData<string> OptionSets => ["multi-step loss", "learned per-step rates", "per-step batch norm", "all"];

    private static MamlOptions Options(string set) => set switch
    {
        "multi-step loss" => new() { InnerLearningRate = 0.05, InnerSteps = 2, MultiStepLossIterations = 10 },
        "learned per-step rates" => new() { InnerLearningRate = 0.05, InnerSteps = 2, LearnPerStepLearningRates = true },
        "per-step batch norm" => new() { InnerLearningRate = 0.05, InnerSteps = 2, PerStepBatchNormWeights = true },
        _ => AllOptions() with { FirstOrderIterations = null },
    };

    [Theory]
    [MemberData(nameof(OptionSets))]
    public void SecondOrderMetaGradientMatchesFiniteDifferences(string set)
    {
        var maml = new Maml(BatchNormMlp(3), TaskLosses.MeanSquaredError, Options(set));
        var names = maml.MetaParameterNames;
        Assert.Equal(set is "learned per-step rates" or "all", names.Any(n => n.StartsWith("step_lr.1.", StringComparison.Ordinal)));
        Assert.Equal(set is "per-step batch norm" or "all", names.Any(n => n.StartsWith("step_bn.1.", StringComparison.Ordinal)));
        var tasks = SineTasks(2, 7);
        var analytic = Flatten(maml.ComputeMetaGradient(tasks).Gradient);
        var numeric = MamlTests.FiniteDifferenceMetaGradient(maml, tasks);
        Assert.Equal(numeric.Length, analytic.Length);
        int offset = 0;
        foreach (var (name, value) in names.Zip(maml.MetaParameters))
        {
            for (int j = 0; j < value.Count; j++, offset++)
            {
                double a = analytic[offset];
                double n = numeric[offset];
                Assert.True(Math.Abs(a - n) <= 1e-6 + (1e-5 * Math.Abs(n)), $"{name}[{j}]: analytic {a}, numeric {n}");
            }
        }
    }

    [Fact]
    public void PerStepBatchNormCopiesSplitTheBatchNormGradientByStep()
    {
        // Fresh copies equal the model's batch-norm weights, so the per-step run computes what MAML with frozen batch-norm
        // parameters computes: the same bits for every other parameter, and copies whose gradients add up to the shared one's.
        var tasks = SineTasks(3, 12);
        var frozen = new Maml(BatchNormMlp(4), TaskLosses.MeanSquaredError, new MamlOptions { InnerLearningRate = 0.05, InnerSteps = 3, Adapted = ParameterSelection.All.Except(ParameterSelection.WithPrefix(BatchNormPrefix)) });
        var perStep = new Maml(BatchNormMlp(4), TaskLosses.MeanSquaredError, new MamlOptions { InnerLearningRate = 0.05, InnerSteps = 3, PerStepBatchNormWeights = true });
        var expected = frozen.ComputeMetaGradient(tasks);
        var actual = perStep.ComputeMetaGradient(tasks);
        Assert.Equal(expected.Loss, actual.Loss);
        var byName = perStep.MetaParameterNames.Zip(actual.Gradient).ToDictionary(p => p.First, p => p.Second.ToDoubleArray());
        Assert.DoesNotContain("model.1.weight", byName.Keys);
        foreach (var (name, gradient) in frozen.MetaParameterNames.Zip(expected.Gradient))
        {
            var reference = gradient.ToDoubleArray();
            if (!name.StartsWith("model." + BatchNormPrefix, StringComparison.Ordinal))
            {
                Assert.Equal(reference, byName[name]);
                continue;
            }

            string parameter = name["model.".Length..];
            for (int j = 0; j < reference.Length; j++)
            {
                double sum = Enumerable.Range(0, 3).Sum(k => byName[$"step_bn.{k}.{parameter}"][j]);
                Assert.True(Math.Abs(sum - reference[j]) <= 1e-12 * (1 + Math.Abs(reference[j])), $"{parameter}[{j}]: {sum} vs {reference[j]}");
            }
        }
    }

    [Fact]
    public void DerivativeOrderAnnealingIsFirstOrderBeforeItsIterationsAndSecondOrderAfter()
    {
        var tasks = SineTasks(3, 14);
        var zero = new OuterLoopOptions { LearningRate = 0 };
        var firstOrder = new Maml(BatchNormMlp(6), TaskLosses.MeanSquaredError, new MamlOptions { InnerLearningRate = 0.05, InnerSteps = 2, FirstOrder = true });
        var secondOrder = new Maml(BatchNormMlp(6), TaskLosses.MeanSquaredError, new MamlOptions { InnerLearningRate = 0.05, InnerSteps = 2 });
        var annealed = new Maml(BatchNormMlp(6), TaskLosses.MeanSquaredError, new MamlOptions { InnerLearningRate = 0.05, InnerSteps = 2, FirstOrderIterations = 2, Outer = zero });
        var fo = firstOrder.ComputeMetaGradient(tasks).Gradient;
        var so = secondOrder.ComputeMetaGradient(tasks).Gradient;
        Assert.NotEqual(Flatten(fo), Flatten(so));

        Assert.Equal(InnerLoopMode.FirstOrder, annealed.CurrentInnerLoopMode);
        AssertBitIdentical(fo, annealed.ComputeMetaGradient(tasks).Gradient);
        AdvanceWithoutLearning(annealed, tasks, 1);
        AssertBitIdentical(fo, annealed.ComputeMetaGradient(tasks).Gradient);
        AdvanceWithoutLearning(annealed, tasks, 1);
        Assert.Equal(InnerLoopMode.SecondOrder, annealed.CurrentInnerLoopMode);
        AssertBitIdentical(so, annealed.ComputeMetaGradient(tasks).Gradient);
    }

    [Fact]
    public void TheOuterScheduleSetsTheRateOfEveryStepFromTheStepCount()
    {
        var tasks = SineTasks(2, 15);
        var schedule = new CosineAnnealing(0.01, 4, minimum: 1e-4);
        var maml = new Maml(BatchNormMlp(1), TaskLosses.MeanSquaredError, new MamlOptions { InnerSteps = 1, Outer = new OuterLoopOptions { Schedule = schedule } });
        for (int step = 0; step < 6; step++)
        {
            maml.MetaStep(tasks);
            Assert.Equal(schedule.Value(step), maml.OuterOptimizer.LearningRate);
        }

        Assert.Equal(1e-4, maml.OuterOptimizer.LearningRate);
    }

    [Fact]
    public void TheLearnerAdaptsWithTheLearnedRatesAndBatchNormCopiesOfEachStep()
    {
        var task = SineTasks(1, 16)[0];
        var maml = new Maml(BatchNormMlp(8), TaskLosses.MeanSquaredError, new MamlOptions { InnerLearningRate = 0.05, InnerSteps = 2, LearnPerStepLearningRates = true, PerStepBatchNormWeights = true });
        // Make every step's rates and copies different, as meta-training would.
        var generator = new Generator(3);
        foreach (var (name, value) in maml.MetaParameterNames.Zip(maml.MetaParameters))
        {
            if (name.StartsWith("step_lr.1.", StringComparison.Ordinal))
            {
                value.CopyFrom(Tensor.Scalar(0.2, DType.Float64));
            }
            else if (name.StartsWith("step_bn.", StringComparison.Ordinal))
            {
                value.CopyFrom(value + (Tensor.RandomNormal(generator, value.Shape.AsSpan(), dtype: DType.Float64) * 0.3));
            }
        }

        Tensor Copy(int step, string parameter) => maml.MetaParameters[maml.MetaParameterNames.ToList().IndexOf($"step_bn.{step}.{parameter}")];
        double Rate(int step) => step == 0 ? 0.05 : 0.2;

        // Three steps by hand: step k uses rate k and copy k (step 2, past the trained two, uses step 1's), prediction copy 1.
        var weights = maml.Model.Parameters().Select(p => p.Detach()).ToArray();
        for (int step = 0; step < 3; step++)
        {
            int k = Math.Min(step, 1);
            // Parameters: 0.weight, 0.bias, 1.weight, 1.bias (batch norm: per-step copies, not adapted), 3.weight, 3.bias.
            weights[2] = Copy(k, "1.weight").Detach();
            weights[3] = Copy(k, "1.bias").Detach();
            int[] adapted = [0, 1, 4, 5];
            var leaves = adapted.Select(i => { var leaf = weights[i].Detach(); leaf.RequiresGrad = true; return leaf; }).ToArray();
            for (int j = 0; j < adapted.Length; j++)
            {
                weights[adapted[j]] = leaves[j];
            }

            var loss = TaskLosses.MeanSquaredError(maml.Model.Forward(task.Support.Inputs, weights), task.Support);
            var grads = Autograd.Grad([loss], leaves);
            using var noGrad = Tensor.NoGrad();
            for (int j = 0; j < adapted.Length; j++)
            {
                weights[adapted[j]] = leaves[j] - (grads[j]! * Rate(k));
            }
        }

        Tensor expected;
        using (Tensor.NoGrad())
        {
            expected = maml.Model.Forward(task.Query.Inputs, weights);
        }

        var learner = maml.CreateLearner();
        learner.Condition(task.Support);
        learner.Adapt(1);
        learner.Adapt(2);
        var actual = learner.Predict(task.Query.Inputs).ToDoubleArray();
        var hand = expected.ToDoubleArray();
        for (int i = 0; i < hand.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - hand[i]) <= 1e-12 * (1 + Math.Abs(hand[i])), $"prediction {i}: learner {actual[i]}, by hand {hand[i]}");
        }

        // Maml.Adapt runs the same steps.
        var adaptedWeights = maml.Adapt(maml.Model.Parameters(), task.Support, 3, InnerLoopMode.Detached);
        Tensor viaAdapt;
        using (Tensor.NoGrad())
        {
            viaAdapt = maml.Model.Forward(task.Query.Inputs, adaptedWeights);
        }

        Assert.Equal(actual, viaAdapt.ToDoubleArray());
    }

    [Fact]
    public void LearnedPerStepRatesWorkOnBatchedTasksToo()
    {
        var tasks = SineTasks(9, 13);
        Maml Make(TaskBatching batching) => new(
            new Sequential(new Linear(1, 5, new Generator(8), dtype: DType.Float64), new Activation(ActivationKind.Tanh), new Linear(5, 1, new Generator(9), dtype: DType.Float64)),
            TaskLosses.MeanSquaredError,
            new MamlOptions { InnerSteps = 2, LearnPerStepLearningRates = true, FirstOrderIterations = 1, TaskBatching = batching });
        var (loopLoss, loop, _, _) = Make(TaskBatching.Never).ComputeMetaGradient(tasks);
        var (batchedLoss, batched, _, _) = Make(TaskBatching.Always).ComputeMetaGradient(tasks);
        Assert.Equal(loopLoss, batchedLoss, 12);
        var a = Flatten(loop);
        var b = Flatten(batched);
        for (int i = 0; i < a.Length; i++)
        {
            Assert.True(Math.Abs(a[i] - b[i]) <= 1e-12 * (1 + Math.Abs(a[i])), $"element {i}: loop {a[i]}, batched {b[i]}");
        }
    }

    [Fact]
    public void ExportedStateCarriesTheStepTensorsAndContinuesBitForBit()
    {
        var tasks = SineTasks(3, 17, DType.Float32);
        Maml Make() => new(BatchNormMlp(9, hidden: 8, dtype: DType.Float32), TaskLosses.MeanSquaredError, AllOptions());
        var original = Make();
        for (int i = 0; i < 4; i++)
        {
            original.MetaStep(tasks);
        }

        var state = original.ExportState();
        var names = state.Select(s => s.Name).ToHashSet();
        Assert.Contains("step_lr.1.0.weight", names);
        Assert.Contains("step_bn.1.1.bias", names);
        Assert.DoesNotContain("step_lr.0.1.weight", names);
        var restored = Make();
        restored.ImportState(state.ToDictionary(s => s.Name, s => s.Value));
        for (int i = 0; i < 6; i++)
        {
            original.MetaStep(tasks);
            restored.MetaStep(tasks);
        }

        var a = original.ExportState();
        var b = restored.ExportState();
        Assert.Equal(a.Select(s => s.Name), b.Select(s => s.Name));
        for (int i = 0; i < a.Count; i++)
        {
            Assert.Equal(a[i].Value.ToDoubleArray(), b[i].Value.ToDoubleArray());
        }
    }

    [Fact]
    public void AResumedMetaTrainerRunEqualsAnUninterruptedOneBitForBit()
    {
        var tasks = new SineTaskDistribution(5, 5);
        MetaTrainingOptions Run(long iterations, string? path, bool resume = false)
            => new() { Iterations = iterations, MetaBatchSize = 3, Seed = 9, CheckpointPath = path, CheckpointInterval = 5, Resume = resume };
        Maml Make(ulong seed = 11) => new(BatchNormMlp(seed, hidden: 8, dtype: DType.Float32), TaskLosses.MeanSquaredError, AllOptions());

        var straight = Make();
        MetaTrainer.Train(straight, tasks, Run(16, null));
        string path = Path.Combine(_folder, "run.safetensors");
        MetaTrainer.Train(Make(), tasks, Run(5, path));

        // The resumed learner starts from other weights: only a resume that restores everything ends where the straight run does.
        var resumed = Make(seed: 12);
        var result = MetaTrainer.Train(resumed, tasks, Run(16, path, resume: true));

        Assert.Equal(16, result.Iterations);
        var a = straight.ExportState();
        var b = resumed.ExportState();
        for (int i = 0; i < a.Count; i++)
        {
            Assert.Equal(a[i].Value.ToDoubleArray(), b[i].Value.ToDoubleArray());
        }
    }

    [Fact]
    public void BadOptionsAreRejectedByName()
    {
        static string ParamOf(Action set) => Assert.ThrowsAny<ArgumentException>(set).ParamName!;
        Assert.Equal("MultiStepLossIterations", ParamOf(() => _ = new MamlOptions { MultiStepLossIterations = -1 }));
        Assert.Equal("FirstOrderIterations", ParamOf(() => _ = new MamlOptions { FirstOrderIterations = -5 }));

        string Message(MamlOptions options, Module? model = null)
            => Assert.Throws<ArgumentException>(() => new Maml(model ?? BatchNormMlp(1), TaskLosses.MeanSquaredError, options)).Message;
        Assert.Contains("LearnPerStepLearningRates", Message(new MamlOptions { InnerSteps = 0, LearnPerStepLearningRates = true }), StringComparison.Ordinal);
        Assert.Contains("PerStepBatchNormWeights", Message(new MamlOptions { InnerSteps = 0, PerStepBatchNormWeights = true }), StringComparison.Ordinal);
        Assert.Contains("MultiStepLossIterations", Message(new MamlOptions { InnerSteps = 0, MultiStepLossIterations = 5 }), StringComparison.Ordinal);
        Assert.Contains("LearnInnerLearningRates", Message(new MamlOptions { LearnPerStepLearningRates = true, LearnInnerLearningRates = true }), StringComparison.Ordinal);
        Assert.Contains("StepLearningRates", Message(new MamlOptions { LearnPerStepLearningRates = true, StepLearningRates = [0.1] }), StringComparison.Ordinal);
        Assert.Contains("FirstOrderIterations", Message(new MamlOptions { FirstOrder = true, FirstOrderIterations = 10 }), StringComparison.Ordinal);
        Assert.Contains("TaskBatching.Always", Message(new MamlOptions { TaskBatching = TaskBatching.Always, MultiStepLossIterations = 10 }), StringComparison.Ordinal);
        Assert.Contains("PerStepBatchNormWeights", Message(new MamlOptions { PerStepBatchNormWeights = true }, new Linear(1, 1, new Generator(1))), StringComparison.Ordinal);
        Assert.Contains("batch-norm parameters are not adapted", Message(new MamlOptions { PerStepBatchNormWeights = true, Adapted = ParameterSelection.WithPrefix(BatchNormPrefix) }), StringComparison.Ordinal);
    }

    public static TheoryData<string> LearningOptionSets => ["multi-step loss", "per-step batch norm", "learned per-step rates", "derivative-order annealing", "cosine annealing", "all"];

    [Theory]
    [MemberData(nameof(LearningOptionSets))]
    public void EachOptionLearnsWellAboveAnUntrainedStart(string set)
    {
        const int iterations = 60;
        var options = new MamlOptions { InnerLearningRate = 0.5, InnerSteps = 2, Outer = new OuterLoopOptions { LearningRate = 0.01 } };
        options = set switch
        {
            "multi-step loss" => options with { MultiStepLossIterations = iterations / 2 },
            "per-step batch norm" => options with { PerStepBatchNormWeights = true },
            "learned per-step rates" => options with { LearnPerStepLearningRates = true },
            "derivative-order annealing" => options with { FirstOrderIterations = iterations / 2 },
            "cosine annealing" => options with { Outer = options.Outer with { Schedule = new CosineAnnealing(0.01, iterations, minimum: 1e-4) } },
            _ => options with
            {
                MultiStepLossIterations = iterations / 2,
                PerStepBatchNormWeights = true,
                LearnPerStepLearningRates = true,
                FirstOrderIterations = iterations / 2,
                Outer = options.Outer with { Schedule = new CosineAnnealing(0.01, iterations, minimum: 1e-4) },
            },
        };
        var clusters = TinyTasks.Clusters(ways: 5, shots: 1);
        var model = BatchNormMlp(1, clusters.InputSize, 16, clusters.Ways, DType.Float32);
        var maml = new Maml(model, TaskLosses.CrossEntropy, options);
        var report = LearningAssert.AboveChance(maml, clusters.Train, clusters.Test, clusters.Ways, margin: 0.3, new LearningCheck { Iterations = iterations, AdaptationSteps = 2, EvaluationTasks = 50 });
        Assert.True(report.After.MeanAccuracy > report.Before.MeanAccuracy + 0.2, $"{set}: {report.Before.MeanAccuracy} -> {report.After.MeanAccuracy}");
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
