using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.Metric;
using MetaLearn.NN;
using MetaLearn.Tensors;
using MetaLearn.Transfer;
using MetaLearn.Transfer.Features;
using MetaLearn.Transfer.FineTuning;

namespace MetaLearn.Tests.Transfer;

public class FreezingTests
{
    private static ITask Task(ulong seed) => new FewShotSampler(SyntheticClasses.Create(8, 10, seed), ways: 4, shots: 3, queries: 4).Sample(new Generator(seed + 1));

    private static Sequential Mlp(ulong seed) => Backbones.Mlp([10, 16, 16, 4], ActivationKind.Relu, new Generator(seed));

    [Fact]
    public void FineTuningLeavesUntrainedAndZeroRateParametersExactlyAsTheyWere()
    {
        var model = Mlp(1);
        var before = model.Parameters().Select(p => p.ToArray()).ToArray();
        var learner = new FineTuneLearner(model, null, new FineTuneOptions
        {
            Rule = FineTuneRule.Sgd,
            LearningRate = 0.1,
            Trained = ParameterSelection.WithPrefix("2.", "4."),
            LayerRates = new LayerwiseLearningRates((ParameterSelection.Named("2.bias"), 0.0)),
        });
        learner.Condition(Task(3).Support);
        learner.Adapt(5);

        var names = model.NamedParameters().Select(p => p.Name).ToArray();
        for (int i = 0; i < names.Length; i++)
        {
            bool frozen = names[i] is "0.weight" or "0.bias" or "2.bias";
            Assert.True(frozen == before[i].SequenceEqual(learner.Weights[i].ToArray()), $"{names[i]}: frozen {frozen}, but its value {(frozen ? "changed" : "did not change")}.");
            Assert.Equal(before[i], model.Parameters()[i].ToArray());
        }
    }

    [Fact]
    public void FrozenBackboneIsEmbeddedOncePerTaskAndNeverChanged()
    {
        var backbone = Backbones.Mlp([10, 16, 8], ActivationKind.Relu, new Generator(2));
        var before = backbone.Parameters().Select(p => p.ToArray()).ToArray();
        var learner = new FeatureTransferLearner(backbone, new FeatureTransferOptions { Head = FeatureHead.Mlp });
        var task = Task(5);
        learner.Condition(task.Support);
        for (int epoch = 0; epoch < 4; epoch++)
        {
            learner.Adapt(10);
            learner.Predict(task.Query.Inputs);
        }

        Assert.True(learner.BackboneFrozen);
        Assert.Equal(2, learner.BackboneCalls);
        Assert.Equal(40, learner.StepsTaken);
        for (int i = 0; i < before.Length; i++)
        {
            Assert.Equal(before[i], backbone.Parameters()[i].ToArray());
        }
    }

    [Fact]
    public void UnfrozenLastBlockTrainsWhileTheRestOfTheBackboneStaysFixed()
    {
        var backbone = Backbones.Mlp([10, 16, 8], ActivationKind.Relu, new Generator(2));
        var learner = new FeatureTransferLearner(backbone, new FeatureTransferOptions { Head = FeatureHead.Linear, UnfrozenBackbone = ParameterSelection.WithPrefix("2."), BackboneLearningRateScale = 0.5 });
        var task = Task(7);
        learner.Condition(task.Support);
        var atStart = learner.Predict(task.Query.Inputs).ToArray();
        learner.Adapt(5);
        Assert.False(learner.BackboneFrozen);
        Assert.NotEqual(atStart, learner.Predict(task.Query.Inputs).ToArray());

        var initial = backbone.NamedParameters().ToDictionary(p => "backbone." + p.Name, p => p.Value.ToArray());
        foreach (var (name, value) in learner.NamedWeights.Where(w => w.Name.StartsWith("backbone.", StringComparison.Ordinal)))
        {
            bool unfrozen = name.StartsWith("backbone.2.", StringComparison.Ordinal);
            Assert.True(unfrozen != initial[name].SequenceEqual(value.ToArray()), $"{name}: unfrozen {unfrozen}, but it {(unfrozen ? "did not change" : "changed")}.");
        }
    }

    [Fact]
    public void PrototypeHeadIsTheNearestCentroidAndLinearHeadStartsAsIt()
    {
        var backbone = new Sequential();
        var task = Task(9);
        var prototype = new FeatureTransferLearner(backbone, new FeatureTransferOptions { Head = FeatureHead.Prototype });
        var linear = new FeatureTransferLearner(backbone, new FeatureTransferOptions { Head = FeatureHead.Linear, InitializeFromPrototypes = true });
        prototype.Condition(task.Support);
        linear.Condition(task.Support);
        var support = (ClassificationExamples)task.Support;
        var centroids = ClassMeans.Of(support.Inputs, support.Labels, support.ClassCount);
        var expected = (-Distances.PairwiseSquaredEuclidean(task.Query.Inputs, centroids)).ToArray();
        Assert.Equal(expected, prototype.Predict(task.Query.Inputs).ToArray());
        Assert.Equal(task.Query.Inputs.Shape[0], task.Query.Inputs.Shape[0]);
        Assert.Equal(prototype.Predict(task.Query.Inputs).ArgMax(1), linear.Predict(task.Query.Inputs).ArgMax(1));
    }

    [Fact]
    public void FeatureTransferFitsRegressionTargetsWithALinearHead()
    {
        var generator = new Generator(4);
        var x = Tensor.RandomNormal(generator, [20, 3]);
        var y = Tensor.MatMul(x, Tensor.FromArray(new[] { 1.0f, -2.0f, 0.5f }, 3, 1)) + 0.3;
        var learner = new FeatureTransferLearner(new Sequential(), new FeatureTransferOptions { Head = FeatureHead.Linear, LearningRate = 0.05 });
        learner.Condition(Examples.Regression(x, y));
        learner.Adapt(300);
        double mse = Losses.MeanSquaredError(learner.Predict(x), y).Item();
        Assert.True(mse < 1e-3, $"MSE {mse} after 300 steps of a linear head on an exactly linear target.");
        Assert.Throws<ArgumentException>(() => learner.Condition(Examples.Regression(x, y.Reshape(20))));
    }
}
