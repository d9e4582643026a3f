using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;

namespace MetaLearn.Tensors.Tests.Ops;

/// <summary>
/// Dilation and groups mean what PyTorch means: a dilated kernel equals the dense kernel with zeros between its taps, and a
/// grouped convolution equals one convolution with a block-diagonal kernel, in the value and in both gradients.
/// </summary>
public class ConvolutionVariantTests
{
    private static Tensor Uniform(ulong seed, params int[] shape) => TestData.Uniform(seed, shape, -1, 1);

    /// <summary>The k×k kernel spread to (d(k − 1) + 1)² with zeros between the taps.</summary>
    private static Tensor Spread(Tensor weight, int dilation)
    {
        var s = weight.Shape.ToArray();
        int extent = (dilation * (s[2] - 1)) + 1;
        var dense = new double[s[0] * s[1] * extent * extent];
        for (int o = 0; o < s[0]; o++)
        {
            for (int c = 0; c < s[1]; c++)
            {
                for (int i = 0; i < s[2]; i++)
                {
                    for (int j = 0; j < s[3]; j++)
                    {
                        dense[((((o * s[1]) + c) * extent) + (i * dilation)) * extent + (j * dilation)] = weight.GetValue(o, c, i, j);
                    }
                }
            }
        }

        return Tensor.FromArray(dense, s[0], s[1], extent, extent);
    }

    /// <summary>[O, C/g, k, k] grouped weights as the [O, C, k, k] kernel that is zero outside each group's block.</summary>
    private static Tensor BlockDiagonal(Tensor weight, int groups)
    {
        var s = weight.Shape.ToArray();
        int perGroup = s[0] / groups, inputs = s[1] * groups, k = s[2];
        var dense = new double[s[0] * inputs * k * k];
        for (int o = 0; o < s[0]; o++)
        {
            for (int c = 0; c < s[1]; c++)
            {
                for (int p = 0; p < k * k; p++)
                {
                    dense[(((o * inputs) + ((o / perGroup) * s[1]) + c) * k * k) + p] = weight.GetValue(o, c, p / k, p % k);
                }
            }
        }

        return Tensor.FromArray(dense, s[0], inputs, k, k);
    }

    private static void SameValueAndInputGradient(Func<Tensor, Tensor> expected, Func<Tensor, Tensor> actual, Tensor x)
    {
        var x1 = x.Clone();
        x1.RequiresGrad = true;
        var x2 = x.Clone();
        x2.RequiresGrad = true;
        var want = expected(x1);
        var got = actual(x2);
        TensorAssert.Close(got, [.. want.Shape], want.ToDoubleArray());
        var cotangent = Uniform(99, [.. want.Shape]);
        var gradWant = Autograd.Grad([want], [x1], [cotangent])[0]!;
        var gradGot = Autograd.Grad([got], [x2], [cotangent])[0]!;
        TensorAssert.Close(gradGot, [.. x.Shape], gradWant.ToDoubleArray());
    }

    [Theory]
    [InlineData(2, 1, 2)]
    [InlineData(2, 2, 0)]
    [InlineData(3, 1, 3)]
    [InlineData(2, 3, 1)]
    public void DilatedKernelEqualsTheKernelSpreadWithZeros(int dilation, int stride, int padding)
    {
        var x = Uniform(1, 2, 3, 7, 8);
        var weight = Uniform(2, 4, 3, 3, 3);
        var bias = Uniform(3, 4);
        SameValueAndInputGradient(
            t => Functional.Conv2d(t, Spread(weight, dilation), bias, stride, padding),
            t => Functional.Conv2d(t, weight, bias, stride, padding, dilation),
            x);
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(4, 2)]
    public void GroupedConvolutionEqualsABlockDiagonalKernel(int groups, int dilation)
    {
        var x = Uniform(4, 2, 4, 6, 6);
        var weight = Uniform(5, 8, 4 / groups, 3, 3);
        var bias = Uniform(6, 8);
        SameValueAndInputGradient(
            t => Functional.Conv2d(t, BlockDiagonal(weight, groups), bias, 1, dilation, dilation),
            t => Functional.Conv2d(t, weight, bias, 1, dilation, dilation, groups),
            x);
    }

    [Fact]
    public void DilatedSamePaddingKeepsTheImageSize()
    {
        // 3×3 taps two apart span 5 pixels, so padding 2 keeps 6×6 (the geometry of the stride-1 "same" fast path, which must
        // not be taken for a dilated kernel).
        var y = Functional.Conv2d(Uniform(7, 1, 1, 6, 6), Uniform(8, 2, 1, 3, 3), null, 1, 2, dilation: 2);
        Assert.Equal([1, 2, 6, 6], y.Shape.ToArray());
    }
}
