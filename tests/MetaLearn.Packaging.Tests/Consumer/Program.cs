using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Orleans;
using MetaLearn.Tensors;
using MetaLearn.Testing;

// A user's first program against the installed packages: MAML on sine waves, and nearest-centroid few-shot
// classification written on the public learner contract.
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
