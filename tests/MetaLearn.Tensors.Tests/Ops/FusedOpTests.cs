using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Internal;
using MetaLearn.Tensors.Kernels;
using MetaLearn.Tensors.Kernels.Providers;
using MetaLearn.Tensors.Tests.Kernels;
using static MetaLearn.Tensors.Tests.TensorAssert;

namespace MetaLearn.Tensors.Tests.Ops;

/// <summary>
/// The fused primitives (convolution, batch norm with ReLU, max pooling) against the composites they replace, and their two
/// backward paths (kernels when not recorded, ops when recorded) against each other.
/// </summary>
[Collection(nameof(ProcessParallelism))]
public class FusedOpTests
{
    [Theory]
    [MemberData(nameof(BothDTypes), MemberType = typeof(TensorAssert))]
    public void BatchNormMatchesTheComposite(DType dtype)
    {
        var x = TestData.Uniform(3, [4, 3, 5, 5], -2, 3, dtype);
        var gamma = TestData.Uniform(4, [3], 0.5, 2, dtype);
        var beta = TestData.Uniform(5, [3], -1, 1, dtype);
        var y = Functional.BatchNorm(x, gamma, beta, 1e-5, relu: false, out var mean, out var variance);

        int[] axes = [0, 2, 3];
        var expectedMean = x.Mean(axes, keepDims: true);
        var expectedVariance = (x - expectedMean).Square().Mean(axes, keepDims: true);
        var expected = ((x - expectedMean) * (expectedVariance + 1e-5).Pow(-0.5) * gamma.Reshape(1, 3, 1, 1)) + beta.Reshape(1, 3, 1, 1);
        Close(y, [4, 3, 5, 5], expected.ToDoubleArray(), dtype == DType.Float32 ? 1e-5 : 1e-12);
        Close(Tensor.FromArray(mean), [3], expectedMean.ToDoubleArray(), 1e-6);
        Close(Tensor.FromArray(variance), [3], expectedVariance.ToDoubleArray(), 1e-6);
        Close(Functional.BatchNorm(x, gamma, beta, relu: true), [4, 3, 5, 5], expected.Relu().ToDoubleArray(), dtype == DType.Float32 ? 1e-5 : 1e-12);
    }

    [Theory]
    [MemberData(nameof(BothDTypes), MemberType = typeof(TensorAssert))]
    public void FusedBlockTailMatchesItsParts(DType dtype)
    {
        var x = TestData.Uniform(7, [3, 4, 9, 8], -2, 2, dtype);
        var gamma = TestData.Uniform(8, [4], -1.5, 1.5, dtype);
        var beta = TestData.Uniform(9, [4], -1, 1, dtype);
        var fused = Functional.BatchNormReluMaxPool2d(x, gamma, beta, 2, null, 0, 1e-5, out var mean, out var variance);
        var parts = Functional.MaxPool2d(Functional.BatchNorm(x, gamma, beta, 1e-5, relu: true, out var partMean, out var partVariance), 2);
        Close(fused, [3, 4, 4, 4], parts.ToDoubleArray(), 0);
        Assert.Equal(partMean, mean);
        Assert.Equal(partVariance, variance);
    }

    [Fact]
    public void BatchNormOfAConstantChannelIsBeta()
    {
        var x = Tensor.Full([3, 2, 2, 2], 7.0, DType.Float64);
        var y = Functional.BatchNorm(x, Tensor.FromArray([2.0, 3.0]), Tensor.FromArray([0.5, -0.25]));
        var values = y.ToDoubleArray();
        Assert.All(values.Take(4), v => Assert.Equal(0.5, v, 12));
        Assert.All(values.Skip(4).Take(4), v => Assert.Equal(-0.25, v, 12));
    }

    /// <summary>A fused op and the inputs it is differentiated at (the row's name is what the test explorer shows).</summary>
    public sealed record FusedCase(string Name, Func<Tensor[]> Inputs, Func<Tensor[], Tensor> Forward)
    {
        public override string ToString() => Name;
    }

    private static Tensor[] ConvInputs(int[] x, int[] w) => [TestData.Uniform(1, x, -1, 1), TestData.Uniform(2, w, -1, 1), TestData.Uniform(3, [w[0]], -1, 1)];

    private static Tensor[] NormInputs() => [TestData.Uniform(1, [3, 4, 3, 3], -2, 2), TestData.Uniform(2, [4], 0.5, 1.5), TestData.Uniform(3, [4], -1, 1)];

    private static Tensor[] PoolInputs() => [TestData.Uniform(1, [2, 3, 7, 7], -2, 2)];

    private static readonly FusedCase[] Convolutions =
    [
        new("conv2d", () => ConvInputs([2, 3, 6, 6], [4, 3, 3, 3]), t => Functional.Conv2d(t[0], t[1], t[2], 1, 1)),
        new("conv2d strided", () => ConvInputs([2, 2, 7, 7], [3, 2, 3, 3]), t => Functional.Conv2d(t[0], t[1], t[2], 2, 1)),
        new("conv2d small map", () => ConvInputs([2, 8, 4, 4], [16, 8, 3, 3]), t => Functional.Conv2d(t[0], t[1], t[2], 1, 1)),
    ];

    private static readonly FusedCase[] Others =
    [
        new("batch_norm", NormInputs, t => Functional.BatchNorm(t[0], t[1], t[2])),
        new("batch_norm_relu", NormInputs, t => Functional.BatchNorm(t[0], t[1], t[2], relu: true)),
        new("max_pool2d", PoolInputs, t => Functional.MaxPool2d(t[0], 2)),
        new("max_pool2d overlapping", PoolInputs, t => Functional.MaxPool2d(t[0], 3, 2, 1)),
        new("batch_norm_relu_max_pool2d", NormInputs, t => Functional.BatchNormReluMaxPool2d(t[0], t[1], t[2], 2)),
        new("batch_norm_relu_max_pool2d padded", NormInputs, t => Functional.BatchNormReluMaxPool2d(t[0], t[1], t[2], 3, 2, 1)),
    ];

    /// <summary>Every fused op; the convolutions, whose products go through the GEMM, once per supported provider.</summary>
    public static TheoryData<FusedCase, string> Fused()
    {
        var data = new TheoryData<FusedCase, string>();
        foreach (var op in Convolutions)
        {
            foreach (var kind in GemmProvider.Supported)
            {
                data.Add(op, kind.ToString());
            }
        }

        foreach (var op in Others)
        {
            data.Add(op, GemmProvider.Default.Kind.ToString());
        }

        return data;
    }

    public static TheoryData<string> Providers => GemmProviders.Supported;

    /// <summary>The kernels of the unrecorded backward pass and the ops of the recorded one give the same gradients.</summary>
    [Theory]
    [MemberData(nameof(Fused))]
    public void RecordedAndUnrecordedBackwardAgree(FusedCase op, string provider)
    {
        using var scope = GemmProviders.Use(provider);
        var inputs = op.Inputs();
        foreach (var input in inputs)
        {
            input.RequiresGrad = true;
        }

        var y = op.Forward(inputs);
        var seed = TestData.Uniform(9, [.. y.Shape], -1, 1);
        var plain = Autograd.Grad([y], inputs, [seed], createGraph: false);
        var recorded = Autograd.Grad([op.Forward(inputs)], inputs, [seed], createGraph: true);
        for (int i = 0; i < inputs.Length; i++)
        {
            Close(recorded[i]!, [.. inputs[i].Shape], plain[i]!.ToDoubleArray(), 1e-12);
        }
    }

    [Fact]
    public void MaxPoolRoutesTheGradientToTheFirstMaximumOnTies()
    {
        var x = Tensor.FromArray(new double[] { 1, 1, 0, 5, 1, 1, 5, 0, 2, 3, 9, 9, 3, 2, 9, 9 }, 1, 1, 4, 4);
        x.RequiresGrad = true;
        var y = Functional.MaxPool2d(x, 2);
        Close(y, [1, 1, 2, 2], [1, 5, 3, 9]);
        var grad = Autograd.Grad([y], [x], [Tensor.FromArray(new double[] { 10, 20, 30, 40 }, 1, 1, 2, 2)])[0]!;
        Close(grad, [1, 1, 4, 4], [10, 0, 0, 20, 0, 0, 0, 0, 0, 30, 40, 0, 0, 0, 0, 0]);
    }

    /// <summary>
    /// Rows wide enough for the branch-free vector kernel (with an overlapping last step), full of ties and NaNs: each window's
    /// output is its first maximum in window order (a NaN beats numbers), and the gradient goes to that position only.
    /// </summary>
    [Fact]
    public void MaxPoolOfWideRowsKeepsTheFirstMaximumAndPropagatesNaN()
    {
        const int Height = 6, Width = 22;
        var random = new Random(3);
        float[] choices = [0, 1, 2, float.NaN];
        var data = Enumerable.Range(0, 2 * Height * Width).Select(_ => choices[random.Next(choices.Length)]).ToArray();
        var x = Tensor.FromArray(data, 1, 2, Height, Width);
        x.RequiresGrad = true;
        var y = Functional.MaxPool2d(x, 2);
        var seed = Tensor.FromArray(Enumerable.Range(1, 2 * (Height / 2) * (Width / 2)).Select(i => (float)i).ToArray(), 1, 2, Height / 2, Width / 2);
        var grad = Autograd.Grad([y], [x], [seed])[0]!.ToArray();
        var values = y.ToArray();
        var expectedGrad = new float[data.Length];
        int output = 0;
        for (int c = 0; c < 2; c++)
        {
            for (int oy = 0; oy < Height / 2; oy++)
            {
                for (int ox = 0; ox < Width / 2; ox++, output++)
                {
                    int winner = -1;
                    foreach (var (dy, dx) in new[] { (0, 0), (0, 1), (1, 0), (1, 1) })
                    {
                        int at = (((c * Height) + (2 * oy) + dy) * Width) + (2 * ox) + dx;
                        if (winner < 0 || (!float.IsNaN(data[winner]) && (data[at] > data[winner] || float.IsNaN(data[at]))))
                        {
                            winner = at;
                        }
                    }

                    Assert.Equal(data[winner], values[output]);
                    expectedGrad[winner] = output + 1;
                }
            }
        }

        Assert.Equal(expectedGrad, grad);
    }

    [Fact]
    public void MaxPoolOfAnOddSizeDropsTheLastRowAndColumn()
    {
        var x = Range(25, DType.Float64, 1, 1, 5, 5);
        x.RequiresGrad = true;
        var y = Functional.MaxPool2d(x, 2);
        Close(y, [1, 1, 2, 2], [6, 8, 16, 18]);
        var grad = Autograd.Grad([y.Sum()], [x])[0]!.ToDoubleArray();
        Assert.Equal(4, grad.Count(v => v == 1));
        Assert.Equal(21, grad.Count(v => v == 0));
        Assert.Equal(1, grad[6]);
        Assert.Equal(1, grad[18]);
    }

    [Fact]
    public void MaxPoolPropagatesNaN()
    {
        var x = Tensor.FromArray(new double[] { 1, double.NaN, 3, 4 }, 1, 1, 2, 2);
        Assert.True(double.IsNaN(Functional.MaxPool2d(x, 2).Item()));
    }

    public static TheoryData<int, int, int, int, int, DType, string> ConvolutionCases()
    {
        var data = new TheoryData<int, int, int, int, int, DType, string>();
        foreach (var kind in GemmProvider.Supported)
        {
            data.Add(2, 3, 6, 4, 1, DType.Float64, kind.ToString());
            data.Add(2, 8, 5, 16, 1, DType.Float64, kind.ToString());
            data.Add(3, 8, 4, 32, 1, DType.Float32, kind.ToString());
            data.Add(2, 16, 3, 64, 1, DType.Float32, kind.ToString());
            data.Add(2, 8, 9, 16, 2, DType.Float64, kind.ToString());
            data.Add(2, 4, 7, 40, 1, DType.Float32, kind.ToString());
        }

        return data;
    }

    /// <summary>Both GEMM orientations of the forward pass (W·cols, and colsᵀ·Wᵀ transposed back when the channels fill the panels).</summary>
    [Theory]
    [MemberData(nameof(ConvolutionCases))]
    public void ConvolutionMatchesTheIm2ColProduct(int batch, int channels, int size, int outputs, int stride, DType dtype, string provider)
    {
        using var scope = GemmProviders.Use(provider);
        var x = TestData.Uniform(11, [batch, channels, size, size], -1, 1, dtype);
        var w = TestData.Uniform(12, [outputs, channels, 3, 3], -1, 1, dtype);
        var b = TestData.Uniform(13, [outputs], -1, 1, dtype);
        var y = Functional.Conv2d(x, w, b, stride, 1);
        int outSize = ((size + 2 - 3) / stride) + 1;
        var columns = MetaLearn.Tensors.Ops.Unfold.Apply(x, new MetaLearn.Tensors.Kernels.Window(3, 3, stride, stride, 1, 1));
        var expected = Tensor.MatMul(w.Reshape(outputs, -1), columns).Reshape(batch, outputs, outSize, outSize) + b.Reshape(1, outputs, 1, 1);
        Close(y, [batch, outputs, outSize, outSize], expected.ToDoubleArray(), dtype == DType.Float32 ? 1e-5 : 1e-12);
    }

    /// <summary>
    /// A batch of small images (a metric learner's episode) is split over threads image by image, in parts that depend on
    /// the thread count; the output and both gradients are the same bits for 1, 2, 3, 8 and 16 threads, in both precisions.
    /// </summary>
    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void ABatchOfImagesSplitOverThreadsGivesTheSameBits(DType dtype)
    {
        var x = TestData.Uniform(31, [9, 8, 28, 28], -1, 1, dtype);
        var w = TestData.Uniform(32, [16, 8, 3, 3], -0.2, 0.2, dtype);
        var b = TestData.Uniform(33, [16], -1, 1, dtype);
        var seed = TestData.Uniform(34, [9, 16, 28, 28], -1, 1, dtype);
        x.RequiresGrad = true;
        w.RequiresGrad = true;
        double[][] Run(int threads)
        {
            int saved = Parallelism.MaxDegreeOfParallelism;
            try
            {
                Parallelism.MaxDegreeOfParallelism = threads;
                var y = Functional.Conv2d(x, w, b, 1, 1);
                var grads = Autograd.Grad([y], [x, w], [seed]);
                return [y.ToDoubleArray(), grads[0]!.ToDoubleArray(), grads[1]!.ToDoubleArray()];
            }
            finally
            {
                Parallelism.MaxDegreeOfParallelism = saved;
            }
        }

        var one = Run(1);
        foreach (int threads in new[] { 2, 3, 8, 16 })
        {
            var other = Run(threads);
            for (int i = 0; i < one.Length; i++)
            {
                Assert.Equal(one[i], other[i]);
            }
        }

        // And the result is the convolution: the same as unfolding and one product, to rounding.
        var columns = MetaLearn.Tensors.Ops.Unfold.Apply(x.Detach(), new MetaLearn.Tensors.Kernels.Window(3, 3, 1, 1, 1, 1));
        var expected = (Tensor.MatMul(w.Detach().Reshape(16, -1), columns).Reshape(9, 16, 28, 28) + b.Reshape(1, 16, 1, 1)).ToDoubleArray();
        double tolerance = dtype == DType.Float32 ? 1e-4 : 1e-12;
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - one[0][i]) <= tolerance, $"element {i}: {one[0][i]} against {expected[i]}");
        }
    }

    /// <summary>
    /// A batch of more than one weight-gradient chunk (70 images: 32 + 32 + 6) sums each chunk in image order and the chunks
    /// in chunk order, in parallel: the weight gradient is the same bits for 1, 2, 3, 8 and 16 threads, in both precisions,
    /// and equals Σ g·columnsᵀ to rounding.
    /// </summary>
    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void TheWeightGradientOfALargeBatchDoesNotDependOnTheThreadCount(DType dtype)
    {
        const int batch = 70, channels = 4, outputs = 8, size = 12;
        Assert.True(batch > 2 * MetaLearn.Tensors.Ops.Convolution.WeightGradientChunk);
        var x = TestData.Uniform(41, [batch, channels, size, size], -1, 1, dtype);
        var w = TestData.Uniform(42, [outputs, channels, 3, 3], -0.3, 0.3, dtype);
        var seed = TestData.Uniform(43, [batch, outputs, size, size], -1, 1, dtype);
        w.RequiresGrad = true;
        double[] Run(int threads)
        {
            int saved = Parallelism.MaxDegreeOfParallelism;
            try
            {
                Parallelism.MaxDegreeOfParallelism = threads;
                return Autograd.Grad([Functional.Conv2d(x, w, null, 1, 1)], [w], [seed])[0]!.ToDoubleArray();
            }
            finally
            {
                Parallelism.MaxDegreeOfParallelism = saved;
            }
        }

        var one = Run(1);
        foreach (int threads in new[] { 2, 3, 8, 16 })
        {
            Assert.Equal(one, Run(threads));
        }

        var columns = MetaLearn.Tensors.Ops.Unfold.Apply(x, new MetaLearn.Tensors.Kernels.Window(3, 3, 1, 1, 1, 1));
        var expected = Tensor.MatMul(seed.Reshape(batch, outputs, size * size), columns, transposeB: true).Sum(0).ToDoubleArray();
        double tolerance = dtype == DType.Float32 ? 2e-3 : 1e-10;
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - one[i]) <= tolerance, $"element {i}: {one[i]} against {expected[i]}");
        }
    }

    /// <summary>
    /// Batch norm, ReLU and max pooling over a tensor large enough to split its channels over threads: the output, the
    /// statistics and both gradients are the same bits for 1, 2, 3 and 8 threads, in both precisions, and the output is
    /// the unfused ops' exactly.
    /// </summary>
    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void TheFusedBlockTailSplitsChannelsOverThreadsWithTheSameBits(DType dtype)
    {
        var x = TestData.Uniform(51, [40, 32, 40, 40], -2, 2, dtype);
        var gamma = TestData.Uniform(52, [32], -1.5, 1.5, dtype);
        var beta = TestData.Uniform(53, [32], -1, 1, dtype);
        var seed = TestData.Uniform(54, [40, 32, 20, 20], -1, 1, dtype);
        x.RequiresGrad = true;
        gamma.RequiresGrad = true;
        double[][] Run(int threads)
        {
            int saved = Parallelism.MaxDegreeOfParallelism;
            try
            {
                Parallelism.MaxDegreeOfParallelism = threads;
                var y = Functional.BatchNormReluMaxPool2d(x, gamma, beta, 2, null, 0, 1e-5, out var mean, out var variance);
                var grads = Autograd.Grad([y], [x, gamma], [seed]);
                return [y.ToDoubleArray(), mean, variance, grads[0]!.ToDoubleArray(), grads[1]!.ToDoubleArray()];
            }
            finally
            {
                Parallelism.MaxDegreeOfParallelism = saved;
            }
        }

        var one = Run(1);
        foreach (int threads in new[] { 2, 3, 8 })
        {
            var other = Run(threads);
            for (int i = 0; i < one.Length; i++)
            {
                Assert.Equal(one[i], other[i]);
            }
        }

        using (Tensor.NoGrad())
        {
            var parts = Functional.MaxPool2d(Functional.BatchNorm(x, gamma, beta, 1e-5, relu: true), 2).ToDoubleArray();
            Assert.Equal(parts, one[0]);
        }
    }

    /// <summary>
    /// A convolution whose per-image products (64 × 576 × 196) are split over threads gives the same output and gradients
    /// with one thread as with three.
    /// </summary>
    [Theory]
    [MemberData(nameof(Providers))]
    public void ConvolutionDoesNotDependOnTheThreadCount(string provider)
    {
        using var scope = GemmProviders.Use(provider);
        var x = TestData.Uniform(21, [2, 64, 14, 14], -1, 1, DType.Float32);
        var w = TestData.Uniform(22, [64, 64, 3, 3], -0.1, 0.1, DType.Float32);
        var b = TestData.Uniform(23, [64], -1, 1, DType.Float32);
        var seed = TestData.Uniform(24, [2, 64, 14, 14], -1, 1, DType.Float32);
        x.RequiresGrad = true;
        w.RequiresGrad = true;
        float[][] Run(int threads)
        {
            int saved = Parallelism.MaxDegreeOfParallelism;
            try
            {
                Parallelism.MaxDegreeOfParallelism = threads;
                var y = Functional.Conv2d(x, w, b, 1, 1);
                var grads = Autograd.Grad([y], [x, w], [seed]);
                return [y.ToArray(), grads[0]!.ToArray(), grads[1]!.ToArray()];
            }
            finally
            {
                Parallelism.MaxDegreeOfParallelism = saved;
            }
        }

        var one = Run(1);
        var three = Run(3);
        for (int i = 0; i < one.Length; i++)
        {
            Assert.Equal(one[i], three[i]);
        }
    }

    [Fact]
    public void ConvolutionMatchesAHandComputedValue()
    {
        // One 3×3 image, a 2×2 kernel of ones and bias 1: each output is the sum of its window plus 1.
        var x = Range(9, DType.Float64, 1, 1, 3, 3);
        var y = Functional.Conv2d(x, Tensor.Ones([1, 1, 2, 2], DType.Float64), Tensor.FromArray([1.0]));
        Close(y, [1, 1, 2, 2], [9, 13, 21, 25]);
    }

    /// <summary>
    /// Gradient buffers go back to the pool during a backward pass inside an allocation scope. A graph whose rules hand one
    /// gradient to several inputs (add), reuse an input (x·x, x + x) and reshape (views share storage) must still give
    /// exactly the gradients of a pass without a scope.
    /// </summary>
    [Fact]
    public void ReleasingGradientBuffersEarlyChangesNothing()
    {
        static Tensor?[] Gradients(Tensor a, Tensor b)
        {
            var h = (a + b).Relu() + a;
            var k = (h * h).Reshape(64, 512) + (h + h).Reshape(64, 512);
            var m = k.Tanh() * b.Reshape(64, 512);
            var loss = (m + k).Sum() + (m * a.Reshape(64, 512)).Mean();
            return Autograd.Grad([loss], [a, b]);
        }

        var a = TestData.Uniform(5, [32, 1024], -1, 1);
        var b = TestData.Uniform(6, [32, 1024], -1, 1);
        a.RequiresGrad = true;
        b.RequiresGrad = true;
        var expected = Gradients(a, b).Select(g => g!.ToDoubleArray()).ToArray();
        for (int round = 0; round < 3; round++)
        {
            using var scope = AllocationScope.Begin();
            var actual = Gradients(a, b);
            for (int i = 0; i < actual.Length; i++)
            {
                Assert.Equal(expected[i], actual[i]!.ToDoubleArray());
            }
        }
    }
}
