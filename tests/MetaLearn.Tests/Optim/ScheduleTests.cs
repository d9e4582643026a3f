using MetaLearn.Optim;
using static MetaLearn.Tests.Optim.OptimTestHelpers;

namespace MetaLearn.Tests.Optim;

public class ScheduleTests
{
    [Fact]
    public void StepLRDecaysEveryStepSizeSteps()
    {
        var schedule = new StepLR(0.1, stepSize: 10, gamma: 0.5);
        Assert.Equal(0.1, schedule.Value(0));
        Assert.Equal(0.1, schedule.Value(9));
        Assert.Equal(0.05, schedule.Value(10));
        Assert.Equal(0.025, schedule.Value(29));
        Assert.Equal(0.0125, schedule.Value(30));
    }

    [Fact]
    public void CosineAnnealingFollowsHalfACosine()
    {
        var schedule = new CosineAnnealing(1.0, totalSteps: 100, minimum: 0.1);
        Assert.Equal(1.0, schedule.Value(0), 15);
        Assert.Equal(0.55, schedule.Value(50), 15);
        Assert.Equal(0.1 + (0.45 * (1 + Math.Cos(Math.PI / 4))), schedule.Value(25), 15);
        Assert.Equal(0.1, schedule.Value(100));
        Assert.Equal(0.1, schedule.Value(1000));
    }

    [Fact]
    public void CosineAnnealingWarmsUpLinearly()
    {
        // W = 4: rates 0.25, 0.5, 0.75, 1 over the first four steps, then the cosine over the remaining 6.
        var schedule = new CosineAnnealing(2.0, totalSteps: 10, warmupSteps: 4);
        Assert.Equal(0.5, schedule.Value(0));
        Assert.Equal(1.5, schedule.Value(2));
        Assert.Equal(2.0, schedule.Value(3));
        Assert.Equal(2.0, schedule.Value(4), 15);
        Assert.Equal(1.0, schedule.Value(7), 15);
        Assert.Equal(0.0, schedule.Value(10));
    }

    [Fact]
    public void LinearDecayInterpolatesThenHolds()
    {
        // Reptile's ε annealed from 1 to 0 over 1000 outer steps.
        var epsilon = new LinearDecay(1.0, 0.0, totalSteps: 1000);
        Assert.Equal(1.0, epsilon.Value(0));
        Assert.Equal(0.75, epsilon.Value(250), 15);
        Assert.Equal(0.0, epsilon.Value(1000));
        Assert.Equal(0.0, epsilon.Value(5000));
        Assert.Equal(0.3, new LinearDecay(0.1, 0.5, 4).Value(2), 15);
        Assert.Equal(0.7, new ConstantSchedule(0.7).Value(123));
    }

    [Fact]
    public void ApplySetsTheRateForTheOptimizersNextStep()
    {
        var p = Parameter(0.0);
        var sgd = new Sgd([p], 1.0);
        var schedule = new StepLR(0.1, stepSize: 2, gamma: 0.1);
        double[] used = new double[4];
        for (int i = 0; i < 4; i++)
        {
            used[i] = schedule.Apply(sgd);
            p.Grad = Grad(1.0);
            sgd.Step();
        }

        Near([0.1, 0.1, 0.01, 0.01], used, 1e-15);
        Near([-0.22], p.ToDoubleArray(), 1e-15);
        Assert.Equal(0.01, sgd.LearningRate, 15);
    }

    [Fact]
    public void InvalidArgumentsNameTheArgument()
    {
        Assert.Equal("initial", Assert.Throws<ArgumentOutOfRangeException>(() => new StepLR(-1, 10)).ParamName);
        Assert.Equal("stepSize", Assert.Throws<ArgumentOutOfRangeException>(() => new StepLR(0.1, 0)).ParamName);
        Assert.Equal("gamma", Assert.Throws<ArgumentOutOfRangeException>(() => new StepLR(0.1, 10, 0)).ParamName);
        Assert.Equal("initial", Assert.Throws<ArgumentOutOfRangeException>(() => new CosineAnnealing(double.NaN, 10)).ParamName);
        Assert.Equal("totalSteps", Assert.Throws<ArgumentOutOfRangeException>(() => new CosineAnnealing(0.1, 0)).ParamName);
        Assert.Equal("minimum", Assert.Throws<ArgumentOutOfRangeException>(() => new CosineAnnealing(0.1, 10, minimum: 0.2)).ParamName);
        Assert.Equal("warmupSteps", Assert.Throws<ArgumentOutOfRangeException>(() => new CosineAnnealing(0.1, 10, warmupSteps: 10)).ParamName);
        Assert.Equal("warmupSteps", Assert.Throws<ArgumentOutOfRangeException>(() => new CosineAnnealing(0.1, 10, warmupSteps: -1)).ParamName);
        Assert.Equal("final", Assert.Throws<ArgumentOutOfRangeException>(() => new LinearDecay(0.1, double.PositiveInfinity, 10)).ParamName);
        Assert.Equal("totalSteps", Assert.Throws<ArgumentOutOfRangeException>(() => new LinearDecay(0.1, 0, -5)).ParamName);
        Assert.Equal("value", Assert.Throws<ArgumentOutOfRangeException>(() => new ConstantSchedule(-2)).ParamName);
        Assert.Equal("step", Assert.Throws<ArgumentOutOfRangeException>(() => new StepLR(0.1, 10).Value(-1)).ParamName);
        Assert.Throws<ArgumentNullException>(() => new StepLR(0.1, 10).Apply(null!));
    }
}
