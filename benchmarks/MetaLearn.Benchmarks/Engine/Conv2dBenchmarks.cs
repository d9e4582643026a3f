using BenchmarkDotNet.Attributes;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Internal;

namespace MetaLearn.Benchmarks.Engine;

/// <summary>
/// conv2d 3×3, padding 1, forward and forward+backward at the Omniglot conv net's sizes (75 query images per task), and the
/// fused batch norm + ReLU + max pool that follows it. Each invocation runs in an allocation scope, as inside a meta-learner
/// (large buffers come from the pool, not from fresh pages).
/// </summary>
[MemoryDiagnoser]
public class Conv2dBenchmarks
{
    private Tensor _x = null!;
    private Tensor _w = null!;
    private Tensor _b = null!;
    private Tensor _h = null!;
    private Tensor _gamma = null!;
    private Tensor _beta = null!;

    /// <summary>(channels in, image size): the first block (1×28×28) and the second (64×14×14).</summary>
    [Params("1x28", "64x14", "64x7")]
    public string Layer { get; set; } = "64x14";

    [GlobalSetup]
    public void Setup()
    {
        var parts = Layer.Split('x');
        int channels = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
        int size = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        var generator = new Generator(3);
        _x = Tensor.RandomNormal(generator, [75, channels, size, size]);
        _x.RequiresGrad = true;
        _w = Tensor.RandomNormal(generator, [64, channels, 3, 3], 0, 0.1);
        _w.RequiresGrad = true;
        _b = Tensor.Zeros(64);
        _b.RequiresGrad = true;
        _h = Tensor.RandomNormal(generator, [75, 64, size, size]);
        _h.RequiresGrad = true;
        _gamma = Tensor.Ones(64);
        _gamma.RequiresGrad = true;
        _beta = Tensor.Zeros(64);
        _beta.RequiresGrad = true;
    }

    [Benchmark]
    public double Forward()
    {
        using var pool = AllocationScope.Begin();
        using var scope = Tensor.NoGrad();
        return Functional.Conv2d(_x, _w, _b, 1, 1).GetFlat(0);
    }

    [Benchmark]
    public double ForwardBackward()
    {
        using var pool = AllocationScope.Begin();
        return Autograd.Grad(Functional.Conv2d(_x, _w, _b, 1, 1).Sum(), [_x, _w, _b])[1]!.GetFlat(0);
    }

    [Benchmark]
    public double BatchNormReluPoolForwardBackward()
    {
        using var pool = AllocationScope.Begin();
        var y = Functional.BatchNormReluMaxPool2d(_h, _gamma, _beta, 2);
        return Autograd.Grad(y.Sum(), [_h, _gamma, _beta])[1]!.GetFlat(0);
    }
}
