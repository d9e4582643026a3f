using MetaLearn.Data;
using MetaLearn.Evaluation;
using MetaLearn.MetaLearning;
using MetaLearn.ML;
using MetaLearn.NN;
using MetaLearn.Onnx;
using MetaLearn.Orleans;
using MetaLearn.Tensors;
using MetaLearn.Testing;
using Microsoft.ML;
using Microsoft.ML.Data;

// A user's first program against the installed packages: MAML on sine waves, nearest-centroid few-shot
// classification written on the public learner contract, the same learner in an ML.NET pipeline, an ONNX export, and
// MAML's meta-gradient on a two-silo localhost Orleans cluster.
var model = Backbones.Mlp([1, 40, 40, 1], ActivationKind.Relu, new Generator(1));
var maml = new Maml(model, TaskLosses.MeanSquaredError, new MamlOptions { InnerLearningRate = 0.01 });
var sines = new SineTaskDistribution(supportSize: 10, querySize: 10);
double before = MetaEvaluator.Evaluate(maml.CreateLearner, sines, 100, [1], seed: 7)[0].MeanLoss;
MetaTrainer.Train(maml, sines, new MetaTrainingOptions { Iterations = 300, MetaBatchSize = 10 });
double after = MetaEvaluator.Evaluate(maml.CreateLearner, sines, 100, [1], seed: 7)[0].MeanLoss;
Console.WriteLine($"maml_sine before={before:F4} after={after:F4}");

var clusters = new FewShotSampler(TinyTasks.GaussianClusters(distractors: 0), ways: 5, shots: 1, queries: 5);
double accuracy = MetaEvaluator.Evaluate(() => new NearestCentroid(), clusters, 200, [0], seed: 3)[0].MeanAccuracy ?? 0;
Console.WriteLine($"nearest_centroid ways=5 shots=1 accuracy={accuracy:F3}");

// The learner in an ML.NET pipeline, after ML.NET's own Concatenate: fitted on 5 rows per class, predicting the rest.
var points = TinyTasks.GaussianClusters(classes: 5, examplesPerClass: 25, distractors: 0, seed: 4);
var values = points.GetInputs([.. Enumerable.Range(0, points.Count)]).ToArray();
Point Row(int i) => new() { Label = $"class{i / 25}", X = values[(i * 4)..((i * 4) + 2)], Y = values[((i * 4) + 2)..((i + 1) * 4)] };
var mlContext = new MLContext(seed: 1);
var pipeline = mlContext.Transforms.Concatenate("Features", nameof(Point.X), nameof(Point.Y))
    .Append(mlContext.Transforms.FewShotClassifier(() => new NearestCentroid()));
var fitted = pipeline.Fit(mlContext.Data.LoadFromEnumerable(Enumerable.Range(0, points.Count).Where(i => i % 25 < 5).Select(Row)));
var predicted = mlContext.Data.CreateEnumerable<PointPrediction>(
    fitted.Transform(mlContext.Data.LoadFromEnumerable(Enumerable.Range(0, points.Count).Where(i => i % 25 >= 5).Select(Row))), reuseRowObject: false).ToList();
Console.WriteLine($"mlnet_fewshot rows={predicted.Count} accuracy={predicted.Count(p => p.PredictedLabel == p.Label) / (double)predicted.Count:F3}");

byte[] onnx = OnnxExport.ToBytes(model, model.Parameters(), new OnnxExportOptions { InputShape = [1] });
Console.WriteLine($"onnx_export bytes={onnx.Length} opset={OnnxExport.Opset}");
// MetaLearn.Orleans: MAML's meta-gradient computed by worker grains on two silos in this process has the local bits.
await using (var cluster = await LocalhostCluster.StartAsync(registry => registry.AddLearner("maml", () => NewMaml(null)), silos: 2))
{
    var generator = new Generator(5);
    var tasks = Enumerable.Range(0, 6).Select(_ => sines.Sample(generator)).ToArray();
    var local = NewMaml(null).ComputeMetaGradient(tasks);
    var remote = NewMaml(ClusterMetaBatchExecutor.Factory(cluster.Grains, "maml")).ComputeMetaGradient(tasks);
    bool same = local.Loss.Equals(remote.Loss) && local.Gradient.Zip(remote.Gradient).All(p => p.First.AsSpan<float>().SequenceEqual(p.Second.AsSpan<float>()));
    Console.WriteLine($"orleans_maml same_bits={same}");
}

static Maml NewMaml(Func<IReadOnlyList<Tensor>, IReadOnlyList<string>, IMetaBatchExecutor>? executor)
    => new(Backbones.Mlp([1, 20, 1], ActivationKind.Relu, new Generator(2)), TaskLosses.MeanSquaredError, new MamlOptions { TaskBatching = TaskBatching.Never, Outer = new OuterLoopOptions { Executor = executor } });

/// <summary>Classifies a query by the nearest class mean of the support set (a prototype classifier on raw inputs).</summary>
internal sealed class NearestCentroid : ILearner
{
    private Tensor? _centroids;

    public int StepsTaken { get; private set; }

    public void Condition(Examples support)
    {
        var examples = (ClassificationExamples)support;
        _centroids = Tensor.Stack([.. Enumerable.Range(0, examples.ClassCount).Select(c =>
            examples.Inputs.IndexSelect(0, [.. Enumerable.Range(0, examples.Count).Where(i => examples.Labels[i] == c)]).Mean(0))]);
        StepsTaken = 0;
    }

    public void Adapt(int steps) => StepsTaken += steps;

    public Tensor Predict(Tensor inputs)
    {
        var centroids = _centroids ?? throw new InvalidOperationException("Condition first.");
        return -(inputs.Unsqueeze(1) - centroids.Unsqueeze(0)).Square().Sum(2);
    }
}

/// <summary>A row of the ML.NET data: a class name and two feature columns.</summary>
public sealed class Point
{
    public string Label { get; set; } = "";

    [VectorType(2)]
    public float[] X { get; set; } = [];

    [VectorType(2)]
    public float[] Y { get; set; } = [];
}

/// <summary>What the pipeline adds.</summary>
public sealed class PointPrediction
{
    public string Label { get; set; } = "";

    public string PredictedLabel { get; set; } = "";
}
