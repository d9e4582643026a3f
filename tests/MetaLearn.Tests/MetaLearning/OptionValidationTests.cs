using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Tests.MetaLearning;

/// <summary>Every option is checked where it is set, and the message names the option itself.</summary>
public class OptionValidationTests
{
    private static string ParamOf(Action set) => Assert.ThrowsAny<ArgumentException>(set).ParamName!;

    [Fact]
    public void MamlOptions()
    {
        Assert.Equal("StepLearningRates", ParamOf(() => _ = new MamlOptions { StepLearningRates = [-1] }));
        Assert.Equal("StepLearningRates", ParamOf(() => _ = new MamlOptions { StepLearningRates = [0.1, double.NaN] }));
        Assert.Equal("StepLearningRates", ParamOf(() => _ = new MamlOptions { StepLearningRates = [] }));
        Assert.Equal("InnerLearningRate", ParamOf(() => _ = new MamlOptions { InnerLearningRate = double.PositiveInfinity }));
        Assert.Equal("InnerSteps", ParamOf(() => _ = new MamlOptions { InnerSteps = -1 }));
        Assert.Equal("TaskBatching", ParamOf(() => _ = new MamlOptions { TaskBatching = (TaskBatching)7 }));
        Assert.Equal("Trained", ParamOf(() => _ = new MamlOptions { Trained = null! }));
    }

    [Fact]
    public void OuterLoopOptions()
    {
        Assert.Equal("LearningRate", ParamOf(() => _ = new OuterLoopOptions { LearningRate = -0.1 }));
        Assert.Equal("LearningRate", ParamOf(() => _ = new OuterLoopOptions { LearningRate = double.NaN }));
        Assert.Equal("MaxGradientNorm", ParamOf(() => _ = new OuterLoopOptions { MaxGradientNorm = 0 }));
        Assert.Equal("NonFiniteTasks", ParamOf(() => _ = new OuterLoopOptions { NonFiniteTasks = (NonFiniteTaskPolicy)9 }));
    }

    [Fact]
    public void ReptileOptions()
    {
        Assert.Equal("InnerLearningRate", ParamOf(() => _ = new ReptileOptions { InnerLearningRate = double.PositiveInfinity }));
        Assert.Equal("InnerLearningRate", ParamOf(() => _ = new ReptileOptions { InnerLearningRate = 0 }));
        Assert.Equal("InnerSteps", ParamOf(() => _ = new ReptileOptions { InnerSteps = 0 }));
        Assert.Equal("OuterStepSize", ParamOf(() => _ = new ReptileOptions { OuterStepSize = double.NaN }));
    }

    [Fact]
    public void MetaTrainingOptions()
    {
        Assert.Equal("Iterations", ParamOf(() => _ = new MetaTrainingOptions { Iterations = -1 }));
        Assert.Equal("MetaBatchSize", ParamOf(() => _ = new MetaTrainingOptions { MetaBatchSize = 0 }));
        Assert.Equal("ValidationTasks", ParamOf(() => _ = new MetaTrainingOptions { ValidationTasks = 1 }));
        Assert.Equal("CheckpointInterval", ParamOf(() => _ = new MetaTrainingOptions { CheckpointInterval = 0 }));
        Assert.Equal("ProgressInterval", ParamOf(() => _ = new MetaTrainingOptions { ProgressInterval = 0 }));
        Assert.Equal("EarlyStoppingPatience", ParamOf(() => _ = new MetaTrainingOptions { EarlyStoppingPatience = -2 }));
    }

    [Fact]
    public void ContradictionsAreFoundWhenTheLearnerIsBuilt()
    {
        var model = new Linear(1, 1, new Generator(1));
        var shortSchedule = Assert.Throws<ArgumentException>(() => new Maml(model, TaskLosses.MeanSquaredError, new MamlOptions { InnerSteps = 3, StepLearningRates = [0.1, 0.1] }));
        Assert.Contains("StepLearningRates", shortSchedule.Message, StringComparison.Ordinal);
        var nothingAdapted = Assert.Throws<ArgumentException>(() => new Maml(model, TaskLosses.MeanSquaredError, new MamlOptions { Adapted = ParameterSelection.WithPrefix("head.") }));
        Assert.Contains("Adapted", nothingAdapted.Message, StringComparison.Ordinal);
        var nothingTrained = Assert.Throws<ArgumentException>(() => new Maml(model, TaskLosses.MeanSquaredError, new MamlOptions { Trained = ParameterSelection.None }));
        Assert.Contains("Maml", nothingTrained.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnArgumentErrorInAParallelMetaStepIsNotWrapped()
    {
        using var limit = TestParallelism.Use(2);
        var maml = new Maml(new Linear(1, 1, new Generator(1)), TaskLosses.CrossEntropy, new MamlOptions { TaskBatching = TaskBatching.Never });
        var tasks = new SineTaskDistribution(3, 3);
        var generator = new Generator(3);
        var error = Assert.Throws<ArgumentException>(() => maml.MetaStep([tasks.Sample(generator), tasks.Sample(generator)]));
        Assert.Contains("CrossEntropy", error.Message, StringComparison.Ordinal);
    }
}
