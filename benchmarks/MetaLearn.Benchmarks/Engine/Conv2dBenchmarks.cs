using BenchmarkDotNet.Attributes;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;

namespace MetaLearn.Benchmarks.Engine;

/// <summary>conv2d 3×3, padding 1, forward and forward+backward at the Omniglot conv net's sizes (75 query images per task).</summary>
[MemoryDiagnoser]
public class Conv2dBenchmarks
{
    private Tensor _x = null!;
    private Tensor _w = null!;
    private Tensor _b = null!;

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
    }

    [Benchmark]
    public Tensor Forward()
    {
        using var scope = Tensor.NoGrad();
        return Functional.Conv2d(_x, _w, _b, 1, 1);
    }

    [Benchmark]
    public Tensor?[] ForwardBackward() => Autograd.Grad(Functional.Conv2d(_x, _w, _b, 1, 1).Sum(), [_x, _w, _b]);
}
