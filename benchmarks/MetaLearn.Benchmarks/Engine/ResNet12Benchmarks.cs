using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using MetaLearn.NN;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;

namespace MetaLearn.Benchmarks.Engine;

/// <summary>
/// One ResNet-12 (64-160-320-640, batch statistics, global average pooling) forward and backward at 84×84, with respect to
/// every parameter, for a 5-way 1-shot support set (5 images; a whole episode of 80 images takes sixteen times as long,
/// too long for repeated runs on a 2-core machine). The workload runner's <c>resnet12</c> measures the same, beside the
/// TorchSharp peer.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class ResNet12Benchmarks
{
    private ResNet _model = null!;
    private Tensor _images = null!;

    [Params(5)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var generator = new Generator(1);
        _model = Backbones.ResNet12(generator);
        _images = Tensor.RandomNormal(generator, [Batch, 3, 84, 84]);
    }

    [Benchmark]
    public double ForwardBackward()
    {
        using var pool = AllocationScope.Begin();
        return Autograd.Grad(_model.Forward(_images).Square().Sum(), _model.Parameters())[0]!.GetFlat(0);
    }
}
