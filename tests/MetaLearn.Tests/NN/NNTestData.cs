using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;

namespace MetaLearn.Tests.NN;

/// <summary>Seeded float64 inputs and a gradient-check wrapper for the layer tests.</summary>
internal static class NNTestData
{
    public static Tensor Uniform(ulong seed, int[] shape, double low = -2, double high = 2, DType dtype = DType.Float64)
        => Tensor.RandomUniform(new Generator(seed), shape, low, high, dtype);

    /// <summary>Uniform in ±[low, high]: bounded away from zero, for functions with a kink at 0.</summary>
    public static Tensor AwayFromZero(ulong seed, int[] shape, double low = 0.2, double high = 2)
    {
        var generator = new Generator(seed);
        var t = Tensor.RandomUniform(generator, shape, low, high, DType.Float64).ToDoubleArray();
        for (int i = 0; i < t.Length; i++)
        {
            if (generator.NextDouble() < 0.5)
            {
                t[i] = -t[i];
            }
        }

        return Tensor.FromArray(t, shape);
    }

    /// <summary>Elementwise |expected − actual| ≤ tolerance, with the first mismatch in the message.</summary>
    public static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"element {i}: expected {expected[i]}, got {actual[i]}");
        }
    }

    /// <summary>Checks derivatives up to <paramref name="order"/> against finite differences and fails with the checker's message.</summary>
    public static void AssertGradients(string name, Func<Tensor[], Tensor> function, IReadOnlyList<Tensor> inputs, int order = 2, GradientCheckOptions? options = null)
    {
        var result = GradientChecker.Check(function, inputs, order, options);
        Assert.True(result.Passed, $"{name}: {result.Failure}");
    }
}
