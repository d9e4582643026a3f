using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;
using MetaLearn.Transfer;
using MetaLearn.Transfer.FineTuning;

namespace MetaLearn.Tests.Transfer;

public class L2SPTests
{
    private static readonly double[] Weights = [1.0, 2.0, -1.0];
    private static readonly double[] Source = [0.5, 2.0, 1.0];

    [Fact]
    public void PenaltyAndFineTuningLossPassTheGradientCheckInFloat64()
    {
        var generator = new Generator(11);
        var model = Backbones.Mlp([3, 4, 2], ActivationKind.Tanh, generator, DType.Float64);
        var anchors = model.Parameters().Select((p, i) => i == 3 ? null : (Tensor?)Tensor.RandomNormal(generator, p.Shape.AsSpan(), dtype: DType.Float64)).ToArray();
        var penalty = Penalties.L2SP(anchors, alpha: 0.7, beta: 0.3);
        var support = Examples.Classification(Tensor.RandomNormal(generator, [6, 3], dtype: DType.Float64), [0, 1, 0, 1, 1, 0]);
        var points = model.Parameters().Select(p => p.Clone()).ToArray();

        GradientChecker.Verify(w => penalty(w), points, order: 2);
        GradientChecker.Verify(w => TaskLosses.CrossEntropy(model.Forward(support.Inputs, w), support) + penalty(w), points, order: 2);
    }

    [Fact]
    public void PenaltyGradientIsAlphaTimesTheDistanceToTheSource()
    {
        var w = Tensor.FromArray(Weights, 3);
        var source = Tensor.FromArray(Source, 3);
        w.RequiresGrad = true;
        var g = Autograd.Grad([Penalties.L2SP([source], alpha: 0.4)([w])], [w])[0]!;
        var expected = new[] { 0.4 * 0.5, 0.0, 0.4 * -2.0 };
        Assert.Equal(expected, g.ToDoubleArray(), new Tolerance(1e-12));
    }

    [Fact]
    public void FewShotFineTuningWithL2SPDriftsLessFromTheSource()
    {
        var task = new FewShotSampler(SyntheticClasses.Create(6, 6, 21), ways: 3, shots: 1, queries: 2).Sample(new Generator(2));
        double Drift(double alpha)
        {
            var model = Backbones.Mlp([10, 32, 3], ActivationKind.Relu, new Generator(8));
            var learner = new FineTuneLearner(model, null, new FineTuneOptions { Rule = FineTuneRule.Sgd, LearningRate = 0.1, L2SPAlpha = alpha });
            learner.Condition(task.Support);
            learner.Adapt(200);
            return learner.Weights.Zip(model.Parameters()).Sum(p => (p.First - p.Second).Square().Sum().Item());
        }

        double free = Drift(0);
        double anchored = Drift(1.0);
        Assert.True(anchored < 0.5 * free, $"squared drift {anchored} with L2-SP against {free} without.");
    }
}
