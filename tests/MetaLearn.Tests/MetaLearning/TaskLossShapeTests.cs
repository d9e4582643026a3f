using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Tests.MetaLearning;

/// <summary>A [N, 1] prediction against [N] targets is an error on every path, never an [N, N] broadcast.</summary>
public class TaskLossShapeTests
{
    private static ITask[] FlatTargetTasks(int count)
    {
        var generator = new Generator(5);
        return [.. Enumerable.Range(0, count).Select(_ => (ITask)new LearningTask(
            Examples.Regression(Tensor.RandomNormal(generator, [10, 1]), Tensor.RandomNormal(generator, [10])),
            Examples.Regression(Tensor.RandomNormal(generator, [10, 1]), Tensor.RandomNormal(generator, [10])),
            new TaskMetadata("flat targets", new Dictionary<string, double>())))];
    }

    [Theory]
    [InlineData(TaskBatching.Never)]
    [InlineData(TaskBatching.Always)]
    public void MismatchedShapesAreRejectedNamingTheLossAndBothShapes(TaskBatching batching)
    {
        var model = new Sequential(new Linear(1, 8, new Generator(1)), new Activation(ActivationKind.Relu), new Linear(8, 1, new Generator(2)));
        var maml = new Maml(model, TaskLosses.MeanSquaredError, new MamlOptions { TaskBatching = batching });
        var error = Assert.Throws<ArgumentException>(() => maml.MetaStep(FlatTargetTasks(4)));
        Assert.Contains("MeanSquaredError", error.Message, StringComparison.Ordinal);
        Assert.Contains("10, 1]", error.Message, StringComparison.Ordinal);
        Assert.Contains("10] must be equal", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheWrongKindOfExamplesIsNamed()
    {
        var predictions = Tensor.Zeros([2, 3]);
        var regression = Examples.Regression(Tensor.Zeros([2, 1]), Tensor.Zeros([2, 3]));
        var classification = Examples.Classification(Tensor.Zeros([2, 1]), [0, 2]);
        Assert.Contains("classification", Assert.Throws<ArgumentException>(() => TaskLosses.CrossEntropy(predictions, regression)).Message, StringComparison.Ordinal);
        Assert.Contains("regression", Assert.Throws<ArgumentException>(() => TaskLosses.MeanSquaredError(predictions, classification)).Message, StringComparison.Ordinal);
    }
}
