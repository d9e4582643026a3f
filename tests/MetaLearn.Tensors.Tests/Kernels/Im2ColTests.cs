using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Tests.Kernels;

public class Im2ColTests
{
    private const float P = -100; // pad marker

    public static TheoryData<int, int, int, int, int, int, int, int, int, int> Shapes() => new()
    {
        // batch, channels, height, width, kh, kw, strideH, strideW, padH, padW
        { 2, 3, 5, 4, 3, 3, 1, 1, 1, 1 },
        { 1, 2, 7, 6, 3, 2, 2, 3, 1, 0 },
        { 3, 1, 4, 4, 1, 1, 1, 1, 0, 0 },
        { 1, 2, 3, 3, 5, 5, 1, 1, 2, 2 },
        { 2, 8, 7, 7, 3, 3, 1, 1, 1, 1 },
        { 1, 1, 6, 9, 2, 4, 3, 2, 2, 3 },
        { 2, 4, 3, 3, 3, 3, 1, 1, 1, 1 },
        { 1, 3, 8, 8, 2, 2, 2, 2, 0, 0 },
    };

    [Fact]
    public void HandComputedNoPadding()
    {
        float[] x = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        var columns = new float[4 * 4];
        Im2Col.Forward<float>(x, columns, 1, 1, 3, 3, 2, 2, 1, 1, 0, 0, P);
        Assert.Equal(
            [
                1, 2, 4, 5,
                2, 3, 5, 6,
                4, 5, 7, 8,
                5, 6, 8, 9,
            ],
            columns);
    }

    [Fact]
    public void HandComputedWithPadding()
    {
        float[] x = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        Assert.Equal(4, Im2Col.OutputSize(3, 2, 1, 1));
        var columns = new float[4 * 16];
        Im2Col.Forward<float>(x, columns, 1, 1, 3, 3, 2, 2, 1, 1, 1, 1, P);
        Assert.Equal(
            [
                P, P, P, P, P, 1, 2, 3, P, 4, 5, 6, P, 7, 8, 9, // (i, j) = (0, 0): pixel (oy-1, ox-1)
                P, P, P, P, 1, 2, 3, P, 4, 5, 6, P, 7, 8, 9, P, // (0, 1): pixel (oy-1, ox)
                P, 1, 2, 3, P, 4, 5, 6, P, 7, 8, 9, P, P, P, P, // (1, 0): pixel (oy, ox-1)
                1, 2, 3, P, 4, 5, 6, P, 7, 8, 9, P, P, P, P, P, // (1, 1): pixel (oy, ox)
            ],
            columns);

        // The adjoint of all-ones counts the windows that see each pixel: with padding 1 every pixel is seen by all 4 kernel offsets.
        var ones = Enumerable.Repeat(1f, columns.Length).ToArray();
        var dx = new float[9];
        Im2Col.Backward<float>(ones, dx, 1, 1, 3, 3, 2, 2, 1, 1, 1, 1);
        Assert.Equal(Enumerable.Repeat(4f, 9), dx);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardMatchesDefinition(int batch, int channels, int height, int width, int kh, int kw, int strideH, int strideW, int padH, int padW)
    {
        var rng = new Random(11);
        var x = RandomArray(rng, batch * channels * height * width);
        int outH = Im2Col.OutputSize(height, kh, strideH, padH), outW = Im2Col.OutputSize(width, kw, strideW, padW);
        var columns = Enumerable.Repeat(double.NaN, batch * channels * kh * kw * outH * outW).ToArray();
        Im2Col.Forward<double>(x, columns, batch, channels, height, width, kh, kw, strideH, strideW, padH, padW, -7.0);

        int index = 0;
        for (int b = 0; b < batch; b++)
        {
            for (int c = 0; c < channels; c++)
            {
                for (int i = 0; i < kh; i++)
                {
                    for (int j = 0; j < kw; j++)
                    {
                        for (int oy = 0; oy < outH; oy++)
                        {
                            for (int ox = 0; ox < outW; ox++, index++)
                            {
                                int iy = (oy * strideH) - padH + i, ix = (ox * strideW) - padW + j;
                                bool inside = iy >= 0 && iy < height && ix >= 0 && ix < width;
                                double expected = inside ? x[(((b * channels) + c) * height + iy) * width + ix] : -7.0;
                                Assert.Equal(expected, columns[index]);
                            }
                        }
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void BackwardIsAdjointOfForward(int batch, int channels, int height, int width, int kh, int kw, int strideH, int strideW, int padH, int padW)
    {
        // <Forward(x), y> = <x, Backward(y)> for zero padding: Backward is the transpose of the linear map Forward.
        var rng = new Random(13);
        int outH = Im2Col.OutputSize(height, kh, strideH, padH), outW = Im2Col.OutputSize(width, kw, strideW, padW);
        var x = RandomArray(rng, batch * channels * height * width);
        var y = RandomArray(rng, batch * channels * kh * kw * outH * outW);
        var columns = new double[y.Length];
        var dx = Enumerable.Repeat(double.NaN, x.Length).ToArray();
        Im2Col.Forward<double>(x, columns, batch, channels, height, width, kh, kw, strideH, strideW, padH, padW, 0.0);
        Im2Col.Backward<double>(y, dx, batch, channels, height, width, kh, kw, strideH, strideW, padH, padW);

        double left = columns.Zip(y, (u, v) => u * v).Sum();
        double right = x.Zip(dx, (u, v) => u * v).Sum();
        Assert.Equal(left, right, 1e-10 * (1 + Math.Abs(left)));
    }

    /// <summary>Row widths that take each copy and add path of the float kernels (scalar, one or two short vectors, up to four, longer).</summary>
    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(14)]
    [InlineData(28)]
    [InlineData(40)]
    public void FloatForwardAndBackwardAgreeWithDouble(int width)
    {
        var rng = new Random(17);
        const int B = 2, C = 4, H = 6;
        int outW = width;
        var x = RandomArray(rng, B * C * H * width);
        var columnsD = new double[B * C * 9 * H * outW];
        var columnsF = new float[columnsD.Length];
        Im2Col.Forward<double>(x, columnsD, B, C, H, width, 3, 3, 1, 1, 1, 1, 0.0);
        Im2Col.Forward<float>(x.Select(v => (float)v).ToArray(), columnsF, B, C, H, width, 3, 3, 1, 1, 1, 1, 0f);
        Assert.Equal(columnsD.Select(v => (float)v), columnsF);

        var dxD = new double[x.Length];
        var dxF = new float[x.Length];
        Im2Col.Backward<double>(columnsD, dxD, B, C, H, width, 3, 3, 1, 1, 1, 1);
        Im2Col.Backward<float>(columnsF, dxF, B, C, H, width, 3, 3, 1, 1, 1, 1);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(dxD[i], dxF[i], 1e-5);
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void BackwardFromScratchMatchesBackward(int batch, int channels, int height, int width, int kh, int kw, int strideH, int strideW, int padH, int padW)
    {
        var rng = new Random(23);
        int outH = Im2Col.OutputSize(height, kh, strideH, padH), outW = Im2Col.OutputSize(width, kw, strideW, padW);
        var columns = RandomArray(rng, batch * channels * kh * kw * outH * outW);
        var expected = new double[batch * channels * height * width];
        var actual = new double[expected.Length];
        Im2Col.Backward<double>(columns, expected, batch, channels, height, width, kh, kw, strideH, strideW, padH, padW);
        Im2Col.BackwardFromScratch<double>((double[])columns.Clone(), actual, batch, channels, height, width, kh, kw, strideH, strideW, padH, padW);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-12);
        }
    }

    [Fact]
    public void RejectsShortBuffers()
    {
        Assert.Throws<ArgumentException>(() => Im2Col.Forward<float>(new float[8], new float[16], 1, 1, 3, 3, 2, 2, 1, 1, 0, 0, 0f));
        Assert.Throws<ArgumentException>(() => Im2Col.Forward<float>(new float[9], new float[15], 1, 1, 3, 3, 2, 2, 1, 1, 0, 0, 0f));
    }

    private static double[] RandomArray(Random rng, int length)
    {
        var values = new double[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (rng.NextDouble() * 2) - 1;
        }

        return values;
    }
}
