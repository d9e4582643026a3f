using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Benchmarks.MetaLearning;

/// <summary>
/// One MAML meta-iteration at Omniglot size (the peer's omniglot-conv workload): the 4-block conv net, 5-way 1-shot with 15
/// queries per class, meta-batch 32, one inner step, second and first order. The memory diagnoser shows what a meta-iteration
/// allocates beyond the pooled activations.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class OmniglotMamlBenchmarks
{
    private const int Ways = 5, Queries = 15;
    private Maml _maml = null!;
    private ITask[] _tasks = null!;

    [Params(false, true)]
    public bool FirstOrder { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var generator = new Generator(1);
        _maml = new Maml(Backbones.OmniglotConvNet(Ways, generator), TaskLosses.CrossEntropy, new MamlOptions { InnerLearningRate = 0.4, FirstOrder = FirstOrder });
        var supportLabels = Enumerable.Range(0, Ways).ToArray();
        var queryLabels = Enumerable.Range(0, Ways * Queries).Select(i => i / Queries).ToArray();
        _tasks = [.. Enumerable.Range(0, 32).Select(_ => new LearningTask(
            Examples.Classification(Tensor.RandomNormal(generator, [Ways, 1, 28, 28]), supportLabels),
            Examples.Classification(Tensor.RandomNormal(generator, [Ways * Queries, 1, 28, 28]), queryLabels),
            new TaskMetadata("random", new Dictionary<string, double>())))];
    }

    [Benchmark]
    public double MetaStep() => _maml.MetaStep(_tasks).Loss;
}
