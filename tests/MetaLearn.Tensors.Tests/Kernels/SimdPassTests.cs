using System.Numerics;
using System.Runtime.Intrinsics;
using MetaLearn.Tensors.Kernels;
using MetaLearn.Tensors.Kernels.Simd;

namespace MetaLearn.Tensors.Tests.Kernels;

/// <summary>
/// The batch-norm channel passes and the leaky-ReLU gradient on every vector width this machine accelerates, against their
/// scalar definitions: bit for bit where the vector code does the same operations, to a tolerance for sums (whose order the
/// lanes change). Lengths leave a remainder for the scalar loop of every width.
/// </summary>
public class SimdPassTests
{
    private const int Length = 1003;

    public static TheoryData<int> Widths()
    {
        var data = new TheoryData<int>();
        if (Lanes512<float>.IsHardwareAccelerated)
        {
            data.Add(512);
        }

        if (Lanes256<float>.IsHardwareAccelerated)
        {
            data.Add(256);
        }

        data.Add(128);
        return data;
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void PassesMatchTheirScalarDefinitions(int width)
    {
        switch (width)
        {
            case 512:
                Check<Lanes512<float>, Vector512<float>, float>(1e-5);
                Check<Lanes512<double>, Vector512<double>, double>(1e-13);
                break;
            case 256:
                Check<Lanes256<float>, Vector256<float>, float>(1e-5);
                Check<Lanes256<double>, Vector256<double>, double>(1e-13);
                break;
            default:
                Check<Lanes128<float>, Vector128<float>, float>(1e-5);
                Check<Lanes128<double>, Vector128<double>, double>(1e-13);
                break;
        }
    }

    private static void Check<TLanes, TVector, T>(double tolerance)
        where TLanes : ISimdLanes<TVector, T>
        where TVector : unmanaged
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(Length + TLanes.Count);
        T[] Values() => [.. Enumerable.Range(0, Length).Select(_ => T.CreateTruncating((random.NextDouble() * 4) - 2))];
        var x = Values();
        var g = Values();
        var output = Values();
        T mean = T.CreateTruncating(0.25), scale = T.CreateTruncating(1.5), shift = T.CreateTruncating(-0.5);
        T gain = T.CreateTruncating(0.75), slope = T.CreateTruncating(-0.125), offset = T.CreateTruncating(0.0625);

        double sum = 0, squares = 0, routedSum = 0, routedProduct = 0, scale1 = 0, scale2 = 0;
        foreach (var (xi, gi, oi) in x.Zip(g, output))
        {
            double d = double.CreateTruncating(xi - mean);
            sum += double.CreateTruncating(xi);
            squares += d * d;
            scale1 += Math.Abs(double.CreateTruncating(xi));
            if (oi > T.Zero)
            {
                routedSum += double.CreateTruncating(gi);
                routedProduct += double.CreateTruncating(gi * (xi - mean));
                scale2 += Math.Abs(double.CreateTruncating(gi * (xi - mean)));
            }
        }

        Assert.Equal(sum, ChannelPasses<TLanes, TVector, T>.Sum(x), tolerance * scale1);
        Assert.Equal(squares, ChannelPasses<TLanes, TVector, T>.SquaredDeviation(x, mean), tolerance * squares);
        var (s, p) = ChannelPasses<TLanes, TVector, T>.GradientSums(g, x, output, mean);
        Assert.Equal(routedSum, s, tolerance * Length * 2);
        Assert.Equal(routedProduct, p, tolerance * scale2);

        foreach (bool relu in new[] { false, true })
        {
            var y = new T[Length];
            ChannelPasses<TLanes, TVector, T>.ScaleShift(x, y, scale, shift, relu);
            Assert.Equal(x.Select(xi => (xi * scale) + shift).Select(v => relu && !(v > T.Zero) ? T.Zero : v), y);
        }

        var gx = new T[Length];
        ChannelPasses<TLanes, TVector, T>.InputGradient(g, x, output, gx, gain, slope, offset);
        Assert.Equal(Enumerable.Range(0, Length).Select(i => ((output[i] > T.Zero ? g[i] : T.Zero) * gain) + (x[i] * slope) + offset), gx);

        var reluGradient = new T[Length];
        ActivationPasses<TLanes, TVector, T>.LeakyReluGradient(g, x, reluGradient, slope);
        Assert.Equal(Enumerable.Range(0, Length).Select(i => x[i] > T.Zero ? g[i] : g[i] * slope), reluGradient);
    }
}
