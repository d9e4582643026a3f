using BenchmarkDotNet.Attributes;
using MetaLearn.Benchmarks.Workloads;
using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.Tensors;

namespace MetaLearn.Benchmarks.MetaLearning;

/// <summary>One MAML meta-iteration on sine (meta-batch 25, K = 10, MLP 1-40-40-1), second and first order.</summary>
[MemoryDiagnoser]
public class SineMamlBenchmarks
{
    private Maml _maml = null!;
    private ITask[] _tasks = null!;

    [Params(false, true)]
    public bool FirstOrder { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _maml = new Maml(SineWorkload.Mlp(new Generator(1)), TaskLosses.MeanSquaredError, new MamlOptions { FirstOrder = FirstOrder, TaskBatching = TaskBatching.Auto });
        var source = new SineTaskDistribution(10, 10);
        var generator = new Generator(2);
        _tasks = [.. Enumerable.Range(0, 25).Select(_ => source.Sample(generator))];
    }

    [Benchmark]
    public double MetaStep() => _maml.MetaStep(_tasks).Loss;
}
