using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Tests.MetaLearning;

/// <summary>
/// The executor seam as a remote executor uses it: units computed on a replica (<see cref="GradientMetaLearner.ComputeMetaBatchUnit"/>)
/// and combined in unit order (<see cref="MetaBatchExecutor.Combine"/>) give the coordinator's meta-gradient bit for bit.
/// </summary>
public sealed class MetaBatchSeamTests
{
    /// <summary>Every MAML++ option, two of them annealed over the outer steps (the multi-step loss and the derivative order).</summary>
    private static Maml PlusPlus() => new(
        new Sequential(new Linear(1, 6, new Generator(5), dtype: DType.Float64), new BatchNorm1d(6, dtype: DType.Float64),
            new Activation(ActivationKind.Tanh), new Linear(6, 1, new Generator(6), dtype: DType.Float64)),
        TaskLosses.MeanSquaredError,
        new MamlOptions
        {
            InnerLearningRate = 0.05,
            InnerSteps = 2,
            MultiStepLossIterations = 3,
            FirstOrderIterations = 2,
            PerStepBatchNormWeights = true,
            LearnPerStepLearningRates = true,
            Outer = new OuterLoopOptions { LearningRate = 0 },
        });

    private static ITask[] SineTasks(int count, ulong seed)
    {
        var source = new SineTaskDistribution(5, 6, DType.Float64);
        var generator = new Generator(seed);
        return [.. Enumerable.Range(0, count).Select(_ => source.Sample(generator))];
    }

    [Fact]
    public void AReplicaComputesMamlPlusPlusUnitsAtTheCoordinatorsOuterStep()
    {
        var tasks = SineTasks(4, 9);
        var coordinator = PlusPlus();
        var replica = PlusPlus();

        // Outer learning rate 0: the step count advances (and with it the loss weights), the weights stay the replica's.
        coordinator.MetaStep(tasks);
        var work = coordinator.PlanMetaBatch(tasks);
        Assert.Equal(1, work.OuterStep);

        var units = Enumerable.Range(0, work.Units)
            .Select(u => replica.ComputeMetaBatchUnit([.. tasks.Skip(work.UnitFirst(u)).Take(work.UnitCount(u))], work.UnitFirst(u), work.OuterStep))
            .ToArray();
        var combined = new MetaBatchExecutor(coordinator.MetaParameters, coordinator.MetaParameterNames).Combine(units);
        var expected = coordinator.ComputeMetaGradient(tasks);

        Assert.Equal(expected.Loss, combined.Loss);
        Assert.Equal(expected.Gradient.Count, combined.Gradient.Count);
        for (int p = 0; p < expected.Gradient.Count; p++)
        {
            Assert.Equal(expected.Gradient[p].ToDoubleArray(), combined.Gradient[p].ToDoubleArray());
        }

        // At its own step (0) the replica weighs the inner steps' losses otherwise; the coordinator's step was only borrowed.
        Assert.NotEqual(units[0].Loss, replica.ComputeMetaBatchUnit([tasks[0]], 0).Loss);
        Assert.Equal(0, replica.OuterOptimizer.StepCount);
        Assert.Equal(0, replica.PlanMetaBatch(tasks).OuterStep);
    }
}
