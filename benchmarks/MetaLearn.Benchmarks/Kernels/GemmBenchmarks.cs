using BenchmarkDotNet.Attributes;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Benchmarks.Kernels;

/// <summary>
/// float32 GEMM at the sizes. GFLOP/s = 2·m·n·k / time: 256³ is 33.6 MFLOP, 4900×576×64 (the conv-shaped product of
/// the Omniglot net's im2col) is 361 MFLOP, 10×40×40 (the sine MLP's hidden layer) is 32 kFLOP.
/// </summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private float[] _a = [];
    private float[] _b = [];
    private float[] _c = [];
    private int _m, _n, _k;

    [Params("256x256x256", "4900x576x64", "10x40x40")]
    public string Size { get; set; } = "256x256x256";

    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        var s = Size.Split('x').Select(v => int.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        (_m, _k, _n) = (s[0], s[1], s[2]);
        var random = new Random(1);
        _a = [.. Enumerable.Range(0, _m * _k).Select(_ => (float)random.NextDouble())];
        _b = [.. Enumerable.Range(0, _k * _n).Select(_ => (float)random.NextDouble())];
        _c = new float[_m * _n];
        MetaLearn.Tensors.Parallelism.MaxDegreeOfParallelism = Threads;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        MetaLearn.Tensors.Parallelism.MaxDegreeOfParallelism = Environment.ProcessorCount;
        _c = [];
    }

    [Benchmark]
    public void Multiply() => Gemm.Multiply<float>(_a, _b, _c, _m, _n, _k, false, false, false);
}
