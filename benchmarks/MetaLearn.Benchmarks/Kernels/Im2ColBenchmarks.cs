using BenchmarkDotNet.Attributes;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Benchmarks.Kernels;

/// <summary>im2col / col2im for the second Omniglot conv layer: 25 images, 64 channels, 14x14, 3x3, stride 1, pad 1.</summary>
[MemoryDiagnoser]
public class Im2ColBenchmarks
{
    private const int Batch = 25, Channels = 64, Size = 14, Kernel = 3;
    private float[] image = [];
    private float[] columns = [];

    /// <summary>Allocates the buffers.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        image = new float[Batch * Channels * Size * Size];
        for (int i = 0; i < image.Length; i++)
        {
            image[i] = (float)rng.NextDouble();
        }

        columns = new float[Batch * Channels * Kernel * Kernel * Size * Size];
    }

    /// <summary>Image → columns.</summary>
    [Benchmark]
    public void Forward()
        => Im2Col.Forward<float>(image, columns, Batch, Channels, Size, Size, Kernel, Kernel, 1, 1, 1, 1, 0f);

    /// <summary>Columns → image gradient.</summary>
    [Benchmark]
    public void Backward()
        => Im2Col.Backward<float>(columns, image, Batch, Channels, Size, Size, Kernel, Kernel, 1, 1, 1, 1);
}
