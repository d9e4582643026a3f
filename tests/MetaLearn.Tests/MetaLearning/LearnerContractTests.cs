using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Optim;
using MetaLearn.Serialization;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tests.Shared;

namespace MetaLearn.Tests.MetaLearning;

/// <summary>The learner protocol (condition, then adapt step by step) and the state a meta-learner must not lose.</summary>
public class LearnerContractTests
{
    private static Sequential Mlp(ulong seed) => new(
        new Linear(1, 8, new Generator(seed), dtype: DType.Float64), new Activation(ActivationKind.Tanh),
        new Linear(8, 1, new Generator(seed + 1), dtype: DType.Float64));

    private static ITask SineTask(ulong seed) => new SineTaskDistribution(5, 20, DType.Float64).Sample(new Generator(seed));

    [Fact]
    public void AdaptationContinuesThePerStepSchedule()
    {
        // Two calls of one step each must equal one call of two steps: the second call uses the second rate.
        var maml = new Maml(Mlp(1), TaskLosses.MeanSquaredError, new MamlOptions { InnerSteps = 2, StepLearningRates = [0.01, 0.5] });
        var task = SineTask(3);
        var stepwise = maml.CreateLearner();
        stepwise.Condition(task.Support);
        stepwise.Adapt(1);
        stepwise.Adapt(1);
        Assert.Equal(2, stepwise.StepsTaken);
        var atOnce = maml.CreateLearner();
        atOnce.Condition(task.Support);
        atOnce.Adapt(2);
        Assert.Equal(atOnce.Predict(task.Query.Inputs).ToDoubleArray(), stepwise.Predict(task.Query.Inputs).ToDoubleArray());

        // Restarting the schedule would take the first rate twice: a different result.
        var restarted = maml.Adapt(maml.Adapt(maml.Model.Parameters(), task.Support, 1, InnerLoopMode.Detached), task.Support, 1, InnerLoopMode.Detached);
        Assert.NotEqual(atOnce.Predict(task.Query.Inputs).ToDoubleArray(), maml.Model.Forward(task.Query.Inputs, restarted).ToDoubleArray());
    }

    [Fact]
    public void ConditioningStartsAgainAndIsRequired()
    {
        var maml = new Maml(Mlp(1), TaskLosses.MeanSquaredError);
        var learner = maml.CreateLearner();
        Assert.Throws<InvalidOperationException>(() => learner.Predict(Tensor.Zeros([1, 1], DType.Float64)));
        Assert.Throws<InvalidOperationException>(() => learner.Adapt(1));
        var task = SineTask(4);
        learner.Condition(task.Support);
        var initial = learner.Predict(task.Query.Inputs).ToDoubleArray();
        learner.Adapt(3);
        Assert.NotEqual(initial, learner.Predict(task.Query.Inputs).ToDoubleArray());
        learner.Condition(task.Support);
        Assert.Equal(0, learner.StepsTaken);
        Assert.Equal(initial, learner.Predict(task.Query.Inputs).ToDoubleArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => learner.Adapt(-1));
    }

    [Fact]
    public void MetaSgdStepSizesSurviveAStateFileAndAModelFileRefusesThem()
    {
        var tasks = new SineTaskDistribution(5, 5, DType.Float64);
        var maml = new Maml(Mlp(1), TaskLosses.MeanSquaredError, new MamlOptions { LearnInnerLearningRates = true, Outer = new OuterLoopOptions { LearningRate = 0.01 } });
        MetaTrainer.Train(maml, tasks, new MetaTrainingOptions { Iterations = 20, MetaBatchSize = 4 });
        Assert.Contains(maml.InnerLearningRates, r => r.ToDoubleArray().Any(v => v != 0.01 && v != 0));
        using var folder = new ScratchFolder();

        var path = folder.PathOf("metasgd.safetensors");
        MetaLearnerFile.Save(path, maml);
        var reloaded = new Maml(Mlp(9), TaskLosses.MeanSquaredError, new MamlOptions { LearnInnerLearningRates = true, Outer = new OuterLoopOptions { LearningRate = 0.01 } });
        MetaLearnerFile.Load(path, reloaded);
        var task = SineTask(8);
        double Mse(Maml m)
        {
            var learner = m.CreateLearner();
            learner.Condition(task.Support);
            learner.Adapt(3);
            return TaskLosses.MeanSquaredError(learner.Predict(task.Query.Inputs), task.Query).Item();
        }

        Assert.Equal(Mse(maml), Mse(reloaded));

        var modelOnly = folder.PathOf("model.safetensors");
        var refusal = Assert.Throws<InvalidOperationException>(() => MetaLearnerFile.SaveModel(modelOnly, maml));
        Assert.Contains("inner_lr.", refusal.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(modelOnly));
        MetaLearnerFile.SaveModel(modelOnly, maml, dropOtherState: true);
        var model = Mlp(20);
        ModuleCheckpoint.Load(model, modelOnly);
        Assert.Equal(maml.Model.Parameters().Select(p => p.ToDoubleArray()), model.Parameters().Select(p => p.ToDoubleArray()));

        // A module checkpoint is not a meta-learner state file: loading one as such is refused, naming the file.
        var wrong = Assert.Throws<InvalidDataException>(() => MetaLearnerFile.Load(modelOnly, reloaded));
        Assert.Contains(modelOnly, wrong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void L2SpPassesAGradientCheckAndPullsTowardTheSource()
    {
        Tensor?[] source = [Tensor.FromArray([0.5, -1.0, 2.0], 3), null];
        var penalty = Penalties.L2SP(source, alpha: 0.3, beta: 0.1);
        Tensor[] weights = [Tensor.FromArray([0.1, 0.2, 0.3], 3), Tensor.FromArray([-0.4, 0.6], 2)];
        GradientChecker.Verify(w => penalty(w), weights, order: 2);

        foreach (var w in weights)
        {
            w.RequiresGrad = true;
        }

        var grads = Autograd.Grad(penalty(weights), weights);
        double[] expected = [0.3 * (0.1 - 0.5), 0.3 * (0.2 + 1.0), 0.3 * (0.3 - 2.0), 0.1 * -0.4, 0.1 * 0.6];
        double[] actual = [.. grads[0]!.ToDoubleArray(), .. grads[1]!.ToDoubleArray()];
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 12);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => Penalties.L2SP(source, alpha: -1));
        Assert.Throws<ArgumentException>(() => penalty([weights[0]]));
    }

    [Fact]
    public void AnInnerPenaltyChangesAdaptationAsItsGradientSays()
    {
        // With a penalty λ/2‖w‖², one SGD step is w − α(∇L + λw).
        var task = SineTask(5);
        var plain = new Maml(Mlp(1), TaskLosses.MeanSquaredError, new MamlOptions { InnerLearningRate = 0.1 });
        var penalized = new Maml(Mlp(1), TaskLosses.MeanSquaredError, new MamlOptions { InnerLearningRate = 0.1, InnerPenalty = Penalties.L2(2.0) });
        var w0 = plain.Model.Parameters();
        var a = plain.Adapt(w0, task.Support, 1, InnerLoopMode.Detached);
        var b = penalized.Adapt(penalized.Model.Parameters(), task.Support, 1, InnerLoopMode.Detached);
        for (int p = 0; p < w0.Count; p++)
        {
            var expected = a[p].ToDoubleArray().Zip(w0[p].ToDoubleArray(), (x, w) => x - (0.1 * 2.0 * w)).ToArray();
            var actual = b[p].ToDoubleArray();
            for (int j = 0; j < actual.Length; j++)
            {
                Assert.Equal(expected[j], actual[j], 12);
            }
        }
    }

    [Fact]
    public void ParameterGroupsScaleTheRateAndTheirDecay()
    {
        var backbone = Tensor.FromArray([1.0, 1.0], 2);
        var head = Tensor.FromArray([1.0], 1);
        var sgd = new Sgd([new ParameterGroup([backbone], learningRateScale: 0.1), new ParameterGroup([head], weightDecay: 0.5)], learningRate: 0.2);
        sgd.Step([Tensor.FromArray([1.0, -1.0], 2), Tensor.FromArray([1.0], 1)]);
        Assert.Equal(1 - 0.02, backbone.GetFlat(0), 12);
        Assert.Equal(1 + 0.02, backbone.GetFlat(1), 12);
        Assert.Equal(1 - (0.2 * (1 + 0.5)), head.Item(), 12);
        Assert.Throws<ArgumentException>(() => new Sgd([new ParameterGroup([head]), new ParameterGroup([head])], 0.1));
        Assert.Equal("learningRateScale", Assert.Throws<ArgumentOutOfRangeException>(() => new ParameterGroup([head], learningRateScale: -1)).ParamName);
        Assert.Equal("gradients", Assert.Throws<ArgumentException>(() => sgd.Step([null])).ParamName);
    }
}
