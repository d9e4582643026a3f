using BenchmarkDotNet.Attributes;
using MetaLearn.Tensors;

namespace MetaLearn.Benchmarks.Engine;

/// <summary>Per-op overhead on the peer's chain: 100 × relu(h[10×40] @ W[40×40]) = 200 forward ops; divide by 200 for per-op figures.</summary>
[MemoryDiagnoser]
public class OverheadBenchmarks
{
    private Tensor _x = null!;
    private Tensor _w = null!;
    private Tensor _a = null!;
    private Tensor _b = null!;

    [GlobalSetup]
    public void Setup()
    {
        _x = Tensor.RandomNormal(new Generator(1), [10, 40]);
        var identity = new float[40 * 40];
        for (int i = 0; i < 40; i++)
        {
            identity[(i * 40) + i] = 1;
        }

        _w = Tensor.FromArray(identity, 40, 40);
        _w.RequiresGrad = true;
        _a = Tensor.Ones(1);
        _b = Tensor.Ones(1);
    }

    [Benchmark(Description = "chain forward (200 ops, recording)")]
    public Tensor Forward() => Chain();

    [Benchmark(Description = "chain forward+backward (200 ops)")]
    public Tensor? ForwardBackward()
    {
        var grads = MetaLearn.Tensors.Autodiff.Autograd.Grad(Chain().Sum(), [_w]);
        return grads[0];
    }

    [Benchmark(Description = "chain forward under NoGrad (200 ops)")]
    public Tensor ForwardNoGrad()
    {
        using var scope = Tensor.NoGrad();
        return Chain();
    }

    [Benchmark(Description = "1000 one-element adds")]
    public Tensor TinyAdds()
    {
        using var scope = Tensor.NoGrad();
        var result = _a;
        for (int i = 0; i < 1000; i++)
        {
            result = _a + _b;
        }

        return result;
    }

    private Tensor Chain()
    {
        var h = _x;
        for (int i = 0; i < 100; i++)
        {
            h = h.MatMul(_w).Relu();
        }

        return h;
    }
}
