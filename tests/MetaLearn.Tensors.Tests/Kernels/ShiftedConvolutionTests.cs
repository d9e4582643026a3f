using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Kernels;
using MetaLearn.Tensors.Kernels.Providers;
using MetaLearn.Tensors.Ops;

namespace MetaLearn.Tensors.Tests.Kernels;

/// <summary>
/// The convolution's shifted products (stride 1, no column matrix): the value and the three gradients equal the convolution
/// sum written out loop by loop, on every GEMM provider in both precisions, bit for bit across providers that fuse their
/// multiply-adds and across thread counts. In the collection that runs alone, since a row sets the process-wide thread count.
/// </summary>
[Collection(nameof(ProcessParallelism))]
public class ShiftedConvolutionTests
{
    /// <summary>N, C, H, W, O, kh, kw, padding: square and oblong kernels, padding 0, 1, 2 and wider than the kernel's reach.</summary>
    public static TheoryData<int, int, int, int, int, int, int, int> Shapes => new()
    {
        { 3, 8, 10, 12, 16, 3, 3, 1 },
        { 2, 9, 9, 7, 5, 5, 5, 2 },
        { 2, 8, 12, 9, 6, 3, 3, 0 },
        { 2, 10, 8, 16, 7, 1, 3, 0 },
        { 2, 8, 6, 6, 4, 3, 3, 3 },
    };

    /// <summary>Every provider with every shape, in both precisions.</summary>
    public static TheoryData<string, DType, int> ProviderCases
    {
        get
        {
            var data = new TheoryData<string, DType, int>();
            foreach (var kind in GemmProvider.Supported)
            {
                foreach (var dtype in new[] { DType.Float32, DType.Float64 })
                {
                    for (int shape = 0; shape < Shapes.Count; shape++)
                    {
                        data.Add(kind.ToString(), dtype, shape);
                    }
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TheTestShapesTakeTheShiftedProducts(int n, int c, int h, int w, int o, int kh, int kw, int padding)
    {
        var window = new Window(kh, kw, 1, 1, padding, padding);
        Assert.True(new ConvolutionShape([n, c, h, w], o, window).Shifted);
    }

    [Fact]
    public void OtherShapesKeepTheColumnMatrix()
    {
        // Stride 2, dilation 2, a single input channel (the first layer of an image net), a 3×3 map (transposed product).
        Assert.False(new ConvolutionShape([2, 16, 12, 12], 8, new Window(3, 3, 2, 2, 1, 1)).Shifted);
        Assert.False(new ConvolutionShape([2, 16, 12, 12], 8, new Window(3, 3, 1, 1, 2, 2, 2, 2)).Shifted);
        Assert.False(new ConvolutionShape([2, 1, 28, 28], 64, new Window(3, 3, 1, 1, 1, 1)).Shifted);
        Assert.False(new ConvolutionShape([2, 64, 3, 3], 64, new Window(3, 3, 1, 1, 1, 1)).Shifted);
    }

    [Theory]
    [MemberData(nameof(ProviderCases))]
    public void ValueAndGradientsEqualTheConvolutionSum(string provider, DType dtype, int shapeIndex)
    {
        var (n, c, h, w, o, kh, kw, padding) = ShapeAt(shapeIndex);
        using var scope = GemmProviders.Use(provider);
        var (x, weight, bias) = Inputs(n, c, h, w, o, kh, kw, dtype);
        var (y, gx, gw, gb, cotangent) = Run(x, weight, bias, padding);

        var reference = new DirectSum(x.ToDoubleArray(), weight.ToDoubleArray(), bias.ToDoubleArray(), [n, c, h, w], o, kh, kw, padding);
        int oh = h + (2 * padding) - kh + 1, ow = w + (2 * padding) - kw + 1;
        double tolerance = dtype == DType.Float32 ? 2e-5 : 1e-12;
        TensorAssert.Close(y, [n, o, oh, ow], reference.Forward(), tolerance);
        var (wantX, wantW, wantB) = reference.Gradients(cotangent.ToDoubleArray());
        TensorAssert.Close(gx, [n, c, h, w], wantX, tolerance);
        TensorAssert.Close(gw, [o, c, kh, kw], wantW, tolerance);
        TensorAssert.Close(gb, [o], wantB, tolerance);
    }

    [Theory]
    [MemberData(nameof(GemmProviders.Supported), MemberType = typeof(GemmProviders))]
    public void FusedProvidersGiveTheScalarReferenceBits(string provider)
    {
        var kernel = GemmProvider.Get(Enum.Parse<GemmKind>(provider));
        if (!kernel.IsFused)
        {
            // Unfused multiply-adds round twice: such a provider agrees to rounding only (the test above).
            return;
        }

        var (x, weight, bias) = Inputs(3, 8, 10, 12, 16, 3, 3, DType.Float32);
        float[][] expected, actual;
        using (GemmProvider.Use(GemmKind.Scalar))
        {
            expected = Flat(Run(x, weight, bias, 1));
        }

        using (GemmProviders.Use(provider))
        {
            actual = Flat(Run(x, weight, bias, 1));
        }

        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i]);
        }
    }

    [Fact]
    public void BitsDoNotDependOnTheThreadCount()
    {
        // 40 images of 72 × 100 × 16 multiply-adds each: enough work for the images and the weight gradient's chunks to be split.
        var (x, weight, bias) = Inputs(40, 8, 10, 10, 16, 3, 3, DType.Float32);
        Assert.True(new ConvolutionShape([40, 8, 10, 10], 16, new Window(3, 3, 1, 1, 1, 1)).Shifted);
        int saved = Parallelism.MaxDegreeOfParallelism;
        float[][] one, many;
        try
        {
            Parallelism.MaxDegreeOfParallelism = 1;
            one = Flat(Run(x, weight, bias, 1));
            Parallelism.MaxDegreeOfParallelism = 4;
            many = Flat(Run(x, weight, bias, 1));
        }
        finally
        {
            Parallelism.MaxDegreeOfParallelism = saved;
        }

        for (int i = 0; i < one.Length; i++)
        {
            Assert.Equal(one[i], many[i]);
        }
    }

    private static (int N, int C, int H, int W, int O, int Kh, int Kw, int Padding) ShapeAt(int index)
    {
        var row = Shapes.ElementAt(index);
        return ((int)row[0], (int)row[1], (int)row[2], (int)row[3], (int)row[4], (int)row[5], (int)row[6], (int)row[7]);
    }

    private static (Tensor X, Tensor Weight, Tensor Bias) Inputs(int n, int c, int h, int w, int o, int kh, int kw, DType dtype)
        => (TestData.Uniform(1, [n, c, h, w], -1, 1).AsType(dtype), TestData.Uniform(2, [o, c, kh, kw], -0.5, 0.5).AsType(dtype),
            TestData.Uniform(3, [o], -1, 1).AsType(dtype));

    /// <summary>The convolution's value and its gradients for a seeded cotangent of the output's shape (returned with them).</summary>
    private static (Tensor Y, Tensor Gx, Tensor Gw, Tensor Gb, Tensor Cotangent) Run(Tensor x, Tensor weight, Tensor bias, int padding)
    {
        var xl = x.Clone();
        xl.RequiresGrad = true;
        var wl = weight.Clone();
        wl.RequiresGrad = true;
        var bl = bias.Clone();
        bl.RequiresGrad = true;
        var y = Functional.Conv2d(xl, wl, bl, padding: padding);
        var cotangent = TestData.Uniform(4, [.. y.Shape], -1, 1).AsType(x.DType);
        var grads = Autograd.Grad([y], [xl, wl, bl], [cotangent]);
        return (y.Detach(), grads[0]!, grads[1]!, grads[2]!, cotangent);
    }

    private static float[][] Flat((Tensor Y, Tensor Gx, Tensor Gw, Tensor Gb, Tensor Cotangent) r)
        => [r.Y.F32.ToArray(), r.Gx.F32.ToArray(), r.Gw.F32.ToArray(), r.Gb.F32.ToArray()];

    /// <summary>The convolution and its gradients as the sums they are, in double, one loop per index.</summary>
    private sealed class DirectSum(double[] x, double[] weight, double[] bias, int[] shape, int outputs, int kh, int kw, int padding)
    {
        private readonly int _n = shape[0], _c = shape[1], _h = shape[2], _w = shape[3];

        private int OutH => _h + (2 * padding) - kh + 1;

        private int OutW => _w + (2 * padding) - kw + 1;

        public double[] Forward()
        {
            var y = new double[_n * outputs * OutH * OutW];
            Visit((image, o, oy, ox, c, ky, kx, xIndex, wIndex) => y[Output(image, o, oy, ox)] += x[xIndex] * weight[wIndex]);
            for (int i = 0; i < y.Length; i++)
            {
                y[i] += bias[i / (OutH * OutW) % outputs];
            }

            return y;
        }

        public (double[] X, double[] W, double[] B) Gradients(double[] g)
        {
            var gx = new double[x.Length];
            var gw = new double[weight.Length];
            var gb = new double[outputs];
            Visit((image, o, oy, ox, c, ky, kx, xIndex, wIndex) =>
            {
                double gi = g[Output(image, o, oy, ox)];
                gx[xIndex] += gi * weight[wIndex];
                gw[wIndex] += gi * x[xIndex];
            });
            for (int i = 0; i < g.Length; i++)
            {
                gb[i / (OutH * OutW) % outputs] += g[i];
            }

            return (gx, gw, gb);
        }

        private int Output(int image, int o, int oy, int ox) => ((((image * outputs) + o) * OutH) + oy) * OutW + ox;

        /// <summary>Calls <paramref name="body"/> for every (output, tap) pair whose input pixel lies inside the image.</summary>
        private void Visit(Action<int, int, int, int, int, int, int, int, int> body)
        {
            for (int image = 0; image < _n; image++)
            {
                for (int o = 0; o < outputs; o++)
                {
                    for (int oy = 0; oy < OutH; oy++)
                    {
                        for (int ox = 0; ox < OutW; ox++)
                        {
                            for (int c = 0; c < _c; c++)
                            {
                                for (int ky = 0; ky < kh; ky++)
                                {
                                    for (int kx = 0; kx < kw; kx++)
                                    {
                                        int iy = oy + ky - padding, ix = ox + kx - padding;
                                        if (iy >= 0 && iy < _h && ix >= 0 && ix < _w)
                                        {
                                            body(image, o, oy, ox, c, ky, kx, ((((image * _c) + c) * _h) + iy) * _w + ix,
                                                ((((o * _c) + c) * kh) + ky) * kw + kx);
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
