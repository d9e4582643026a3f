using BenchmarkDotNet.Attributes;
using MetaLearn.Tensors.Kernels;
using MetaLearn.Tensors.Kernels.Providers;

namespace MetaLearn.Benchmarks.Kernels;

/// <summary>
/// float32 GEMM at the sizes. GFLOP/s = 2·m·n·k / time: 256³ is 33.6 MFLOP, 4900×576×64 (the conv-shaped product of
/// the Omniglot net's im2col) is 361 MFLOP, 10×40×40 (the sine MLP's hidden layer) is 32 kFLOP. Each size runs on every
/// provider the machine supports (AVX-512, Vector256, Vector128, Scalar), chosen with <see cref="GemmProvider.Use"/>.
/// </summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private float[] _a = [];
    private float[] _b = [];
    private float[] _c = [];
    private int _m, _n, _k;
    private GemmProvider.Scope _provider;
    private IGemmKernel? _kernel;

    [Params("256x256x256", "4900x576x64", "10x40x40")]
    public string Size { get; set; } = "256x256x256";

    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    [ParamsSource(nameof(Providers))]
    public string Provider { get; set; } = GemmProvider.Default.Kind.ToString();

    /// <summary>The providers this machine runs, by name, fastest first.</summary>
    public static IEnumerable<string> Providers => GemmProvider.Supported.Select(kind => kind.ToString());

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
        _provider = GemmProvider.Use(Enum.Parse<GemmKind>(Provider));
        _kernel = GemmProvider.Current;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        MetaLearn.Tensors.Parallelism.MaxDegreeOfParallelism = Environment.ProcessorCount;
        _provider.Dispose();
        _c = [];
    }

    [Benchmark]
    public void Multiply()
    {
        // The provider is set in the setup, on this thread; a product on another would measure the default instead.
        if (!ReferenceEquals(GemmProvider.Current, _kernel))
        {
            throw new InvalidOperationException($"gemm benchmark: running on {GemmProvider.Current.Kind}, not {Provider}.");
        }

        Gemm.Multiply<float>(_a, _b, _c, _m, _n, _k, false, false, false);
    }
}
