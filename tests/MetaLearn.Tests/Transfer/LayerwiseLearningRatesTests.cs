using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Optim;
using MetaLearn.Tensors;
using MetaLearn.Transfer;
using MetaLearn.Transfer.FineTuning;

namespace MetaLearn.Tests.Transfer;

public class LayerwiseLearningRatesTests
{
    [Fact]
    public void ScaledSgdStepIsTheStepAtTheScaledRate()
    {
        var w = new[] { Tensor.FromArray(Values(1.0, 2.0), 2), Tensor.FromArray(Values(-1.0), 1) };
        var g = new Tensor?[] { Tensor.FromArray(Values(0.5, -0.5), 2), Tensor.FromArray(Values(2.0), 1) };
        var rule = new LayerwiseOptimizer(new DifferentiableSgd(0.1), [0.5, 0.0]);
        var (stepped, _) = rule.Step(w, g, rule.Init(w));
        Assert.Equal(Values(1.0 - (0.05 * 0.5), 2.0 + (0.05 * 0.5)), stepped[0].ToDoubleArray(), new Tolerance(1e-12));
        Assert.Same(w[1], stepped[1]);
        Assert.Throws<ArgumentException>(() => rule.Init([w[0]]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LayerwiseOptimizer(new DifferentiableSgd(0.1), [-1.0]));
    }

    [Fact]
    public void RulesGiveTheFirstMatchingScaleAndOneGroupPerScale()
    {
        var model = Backbones.Mlp([2, 3, 3, 1], ActivationKind.Relu, new Generator(1));
        var rates = new LayerwiseLearningRates((ParameterSelection.WithPrefix("4."), 1.0), (ParameterSelection.All, 0.1));
        Assert.Equal([0.1, 0.1, 0.1, 0.1, 1.0, 1.0], rates.Scales(model));
        var groups = rates.Groups(model, ParameterSelection.All.Except(ParameterSelection.WithPrefix("0.")));
        Assert.Equal([0.1, 1.0], groups.Select(g => g.LearningRateScale));
        Assert.Equal([2, 2], groups.Select(g => g.Parameters.Count));
        var adam = new Adam(groups, 0.01);
        Assert.Equal(4, adam.Parameters.Count);
        Assert.Throws<ArgumentException>(() => new LayerwiseLearningRates((ParameterSelection.All, 0.0)).Groups(model));
    }

    private static double[] Values(params double[] values) => values;
}
