using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.Metric;
using MetaLearn.NN;
using MetaLearn.Tensors;
using MetaLearn.Testing;
using Microsoft.ML;
using Xunit.Abstractions;

namespace MetaLearn.ML.Tests;

/// <summary>
/// A prototypical network meta-trained on MetaLearn.Testing's Gaussian clusters (14 classes), used in an ML.NET pipeline
/// on the 6 held-out classes: ML.NET's Concatenate builds the feature vector, the few-shot classifier is fitted on 5 rows
/// per class and predicts the other rows.
/// </summary>
public class FewShotClassifierTests(ITestOutputHelper output)
{
    private static readonly string[] Names = ["alder", "birch", "cedar", "elm", "fir", "hazel"];

    [Fact]
    public void TheClassifierRunsInAnMlNetPipelineAndPredictsHeldOutClasses()
    {
        var protoNets = TrainedProtoNets();
        var (support, queries) = Rows(shots: 5);
        var mlContext = new MLContext(seed: 1);
        var pipeline = mlContext.Transforms.Concatenate("Features", nameof(ClusterRow.Signal), nameof(ClusterRow.Noise))
            .Append(mlContext.Transforms.FewShotClassifier(protoNets.CreateLearner));

        var model = pipeline.Fit(mlContext.Data.LoadFromEnumerable(support));
        var predictions = mlContext.Data.CreateEnumerable<ClusterPrediction>(model.Transform(mlContext.Data.LoadFromEnumerable(queries)), reuseRowObject: false).ToArray();

        var classifier = model.LastTransformer;
        Assert.Equal(Names, classifier.Classes);
        Assert.Equal(queries.Length, predictions.Length);
        Assert.All(predictions, p => Assert.Equal(Names.Length, p.Score.Length));
        Assert.All(predictions, p => Assert.Equal(1.0, p.Score.Sum(), 5));
        Assert.All(predictions, p => Assert.Equal(Names[Array.IndexOf(p.Score, p.Score.Max())], p.PredictedLabel));

        // The same learner, conditioned directly on the same rows, predicts the same classes.
        var learner = protoNets.CreateLearner();
        learner.Condition(Examples.Classification(Features(support), [.. support.Select(r => Array.IndexOf(Names, r.Label))]));
        var direct = MetaEvaluatorArgMax(learner.Predict(Features(queries)));
        Assert.Equal(direct.Select(c => Names[c]), predictions.Select(p => p.PredictedLabel));

        double accuracy = predictions.Count(p => p.PredictedLabel == p.Label) / (double)predictions.Length;
        output.WriteLine($"6-way 5-shot in an ML.NET pipeline: {accuracy:P1} of {predictions.Length} held-out rows (chance 16.7%)");
        Assert.True(accuracy > 0.5, $"accuracy {accuracy:P1}");
    }

    [Fact]
    public void TheEstimatorNamesAMissingOrMistypedColumn()
    {
        var protoNets = new PrototypicalNetworks(TinyTasks.Mlp(16, 8));
        var mlContext = new MLContext(seed: 1);
        var (support, _) = Rows(shots: 2);
        var data = mlContext.Transforms.Concatenate("Features", nameof(ClusterRow.Signal), nameof(ClusterRow.Noise)).Fit(mlContext.Data.LoadFromEnumerable(support))
            .Transform(mlContext.Data.LoadFromEnumerable(support));
        var missing = Assert.Throws<ArgumentException>(() => mlContext.Transforms.FewShotClassifier(protoNets.CreateLearner, new FewShotClassifierOptions { LabelColumnName = "Class" }).Fit(data));
        Assert.Contains("'Class'", missing.Message, StringComparison.Ordinal);
        var shape = Assert.Throws<ArgumentException>(() => mlContext.Transforms.FewShotClassifier(protoNets.CreateLearner, new FewShotClassifierOptions { ExampleShape = [1, 5, 5] }).Fit(data));
        Assert.Contains("16 features", shape.Message, StringComparison.Ordinal);
    }

    private static PrototypicalNetworks TrainedProtoNets()
    {
        var protoNets = new PrototypicalNetworks(TinyTasks.Mlp(16, 8, hidden: 32, seed: 3));
        MetaTrainer.Train(protoNets, TinyTasks.Clusters(ways: 5, shots: 1, queries: 5).Train, new MetaTrainingOptions { Iterations = 60, MetaBatchSize = 4 });
        return protoNets;
    }

    /// <summary>The held-out classes 14..19 of the same clusters, as rows: the first <paramref name="shots"/> of each class to fit on, the rest to predict.</summary>
    private static (ClusterRow[] Support, ClusterRow[] Queries) Rows(int shots)
    {
        var data = TinyTasks.GaussianClusters();
        var support = new List<ClusterRow>();
        var queries = new List<ClusterRow>();
        for (int c = 0; c < Names.Length; c++)
        {
            var indices = data.IndicesOf(14 + c);
            var values = data.GetInputs(indices).ToArray();
            for (int i = 0; i < indices.Count; i++)
            {
                var row = new ClusterRow { Label = Names[c], Signal = values[(i * 16)..((i * 16) + 4)], Noise = values[((i * 16) + 4)..((i + 1) * 16)] };
                (i < shots ? support : queries).Add(row);
            }
        }

        return ([.. support], [.. queries]);
    }

    private static Tensor Features(ClusterRow[] rows) => Tensor.FromArray([.. rows.SelectMany(r => r.Signal.Concat(r.Noise))], rows.Length, 16);

    private static int[] MetaEvaluatorArgMax(Tensor scores)
    {
        var values = scores.ToArray();
        int classes = scores.Shape[1];
        return [.. Enumerable.Range(0, scores.Shape[0]).Select(i => Array.IndexOf(values, values.Skip(i * classes).Take(classes).Max(), i * classes) - (i * classes))];
    }
}
