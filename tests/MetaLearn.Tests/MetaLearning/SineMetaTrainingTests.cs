using MetaLearn.Data;
using MetaLearn.Evaluation;
using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Optim;
using MetaLearn.Tensors;

namespace MetaLearn.Tests.MetaLearning;

/// <summary>Small, fixed-seed meta-training runs on sine: meta-learning must clearly beat the un-meta-trained start.</summary>
public class SineMetaTrainingTests
{
    private static Sequential Mlp(ulong seed)
    {
        var generator = new Generator(seed);
        return new Sequential(new Linear(1, 40, generator), new Activation(ActivationKind.Relu), new Linear(40, 40, generator), new Activation(ActivationKind.Relu), new Linear(40, 1, generator));
    }

    private static double AfterOneStep(IMetaLearner learner, int steps)
        => MetaEvaluator.Evaluate(learner.CreateLearner, new SineTaskDistribution(10, 50), 200, [steps], seed: 99)[0].MeanLoss;

    [Fact]
    public void MamlBeatsTheBaselineByAWideMargin()
    {
        var maml = new Maml(Mlp(1), TaskLosses.MeanSquaredError, new MamlOptions { Outer = new OuterLoopOptions { LearningRate = 0.003 } });
        var baseline = new Maml(Mlp(1), TaskLosses.MeanSquaredError);
        var result = MetaTrainer.Train(maml, new SineTaskDistribution(10, 10), new MetaTrainingOptions { Iterations = 600, MetaBatchSize = 10, Seed = 5 });
        Assert.Equal(600, result.Iterations);
        double trained = AfterOneStep(maml, 1);
        double untrained = AfterOneStep(baseline, 1);
        Assert.True(trained < 0.5 * untrained, $"MAML 1-step MSE {trained:F3} vs baseline {untrained:F3}");
    }

    [Fact]
    public void ReptileBeatsTheBaselineByAWideMargin()
    {
        var options = new ReptileOptions { InnerSteps = 5, InnerLearningRate = 0.02, OuterStepSize = 0.5, Outer = new OuterLoopOptions { Schedule = new LinearDecay(0.5, 0.1, 400) }, IncludeQueryInInnerLoop = true };
        var reptile = new Reptile(Mlp(1), TaskLosses.MeanSquaredError, options);
        var baseline = new Reptile(Mlp(1), TaskLosses.MeanSquaredError, options);
        MetaTrainer.Train(reptile, new SineTaskDistribution(10, 10), new MetaTrainingOptions { Iterations = 400, MetaBatchSize = 5, Seed = 6 });
        double trained = AfterOneStep(reptile, 5);
        double untrained = AfterOneStep(baseline, 5);
        Assert.True(trained < 0.6 * untrained, $"Reptile 5-step MSE {trained:F3} vs baseline {untrained:F3}");
    }
}
