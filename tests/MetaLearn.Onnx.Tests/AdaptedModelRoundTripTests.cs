using System.Globalization;
using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.Metric;
using MetaLearn.NN;
using MetaLearn.Tensors;
using MetaLearn.Testing;
using Xunit.Abstractions;

namespace MetaLearn.Onnx.Tests;

/// <summary>
/// The path to production: meta-train briefly on tiny image tasks (MetaLearn.Testing's Gaussian clusters, 16 informative
/// features laid out as 1×4×4 images), condition and adapt on a new task's five examples per class, export the adapted model,
/// and check that ONNX Runtime predicts the same class as the library for all 100 query images.
/// </summary>
public class AdaptedModelRoundTripTests(ITestOutputHelper output)
{
    private const int Ways = 5;
    private const int Shots = 5;
    private const int QueriesPerClass = 20;

    [Fact]
    public void MamlAdaptedToANewTaskPredictsTheSameClassesInOnnxRuntime()
    {
        var generator = new Generator(3);
        var model = new Sequential(
            new Conv2d(1, 4, 3, generator, padding: 1), new BatchNorm2d(4), new Activation(ActivationKind.Relu), new MaxPool2d(2),
            new Flatten(), new Linear(4 * 2 * 2, Ways, generator));
        var maml = new Maml(model, TaskLosses.CrossEntropy, new MamlOptions { InnerLearningRate = 0.1, InnerSteps = 1, FirstOrder = true });
        var (train, test) = Tasks();
        MetaTrainer.Train(maml, train, new MetaTrainingOptions { Iterations = 10, MetaBatchSize = 4 });

        var learner = (IAdaptedModelLearner)maml.CreateLearner();
        var task = test.Sample(new Generator(11));
        learner.Condition(task.Support);
        learner.Adapt(steps: 5);
        RoundTrip("MAML", learner, (ClassificationExamples)task.Query);
    }

    [Fact]
    public void PrototypicalNetworkWithItsSupportPrototypesPredictsTheSameClassesInOnnxRuntime()
    {
        var generator = new Generator(4);
        var embedding = new Sequential(
            new Conv2d(1, 8, 3, generator, padding: 1), new BatchNorm2d(8), new Activation(ActivationKind.Relu),
            new Flatten(), new Linear(8 * 4 * 4, 16, generator));
        var protoNets = new PrototypicalNetworks(embedding);
        var (train, test) = Tasks();
        MetaTrainer.Train(protoNets, train, new MetaTrainingOptions { Iterations = 10, MetaBatchSize = 4 });

        var learner = (IAdaptedModelLearner)protoNets.CreateLearner();
        var task = test.Sample(new Generator(12));
        learner.Condition(task.Support);
        RoundTrip("ProtoNets", learner, (ClassificationExamples)task.Query);
    }

    private void RoundTrip(string method, IAdaptedModelLearner learner, ClassificationExamples query)
    {
        Assert.Equal(Ways * QueriesPerClass, query.Count);
        var library = learner.Predict(query.Inputs);
        var adapted = learner.AdaptedModel();
        var (sameAsLearner, _) = OnnxRuntimeRunner.Compare(adapted.Forward(query.Inputs).ToArray(), library);
        Assert.Equal(0, sameAsLearner);

        string path = Path.Combine(Path.GetTempPath(), $"metalearn-{method}-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxExport.Save(adapted, path, new OnnxExportOptions { InputShape = [1, 4, 4] });
            var onnx = OnnxRuntimeRunner.Run(File.ReadAllBytes(path), query.Inputs);
            var (difference, scale) = OnnxRuntimeRunner.Compare(onnx, library);
            var libraryClasses = ArgMax(library.ToArray());
            var onnxClasses = ArgMax(onnx);
            double accuracy = libraryClasses.Zip(query.Labels).Count(p => p.First == p.Second) / (double)query.Count;
            int agree = libraryClasses.Zip(onnxClasses).Count(p => p.First == p.Second);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{method}: {agree}/{query.Count} query classes agree, library accuracy {accuracy:P0}, max |ONNX Runtime − library| = {difference:E2} (scale {scale:G4}), {new FileInfo(path).Length} bytes"));
            Assert.Equal(libraryClasses, onnxClasses);
            Assert.True(difference <= OnnxRuntimeRunner.Tolerance * scale, $"max |difference| {difference:E3} (scale {scale}).");
            Assert.True(accuracy > 0.5, $"{method} after brief training classifies {accuracy:P0} of the queries (chance 20%): the test would not show much.");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static (ITaskSource Train, ITaskSource Test) Tasks()
    {
        var clusters = TinyTasks.GaussianClusters(examplesPerClass: Shots + QueriesPerClass, informative: 16, distractors: 0, seed: 5);
        var images = new InMemoryDataset(clusters.GetInputs([.. Enumerable.Range(0, clusters.Count)]).Reshape(clusters.Count, 1, 4, 4), [.. Enumerable.Range(0, clusters.Count).Select(i => i / (Shots + QueriesPerClass))]);
        return (
            new FewShotSampler(images, Ways, Shots, QueriesPerClass, classes: [.. Enumerable.Range(0, 14)]),
            new FewShotSampler(images, Ways, Shots, QueriesPerClass, classes: [.. Enumerable.Range(14, 6)]));
    }

    private static int[] ArgMax(float[] scores)
    {
        var classes = new int[scores.Length / Ways];
        for (int i = 0; i < classes.Length; i++)
        {
            for (int k = 1; k < Ways; k++)
            {
                if (scores[(i * Ways) + k] > scores[(i * Ways) + classes[i]])
                {
                    classes[i] = k;
                }
            }
        }

        return classes;
    }
}
