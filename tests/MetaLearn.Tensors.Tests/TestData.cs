using MetaLearn.Tensors;

namespace MetaLearn.Tensors.Tests;

/// <summary>Seeded float64 inputs for tests.</summary>
internal static class TestData
{
    public static Tensor Uniform(ulong seed, int[] shape, double low, double high, DType dtype = DType.Float64)
        => Tensor.RandomUniform(new Generator(seed), shape, low, high, dtype);

    /// <summary>Uniform in ±[low, high]: values bounded away from zero, for ops with a kink or pole at 0.</summary>
    public static Tensor AwayFromZero(ulong seed, int[] shape, double low, double high)
    {
        var generator = new Generator(seed);
        var data = new double[ShapeCount(shape)];
        for (int i = 0; i < data.Length; i++)
        {
            double magnitude = generator.NextUniform(low, high);
            data[i] = generator.NextDouble() < 0.5 ? -magnitude : magnitude;
        }

        return Tensor.FromArray(data, shape);
    }

    public static int ShapeCount(int[] shape)
    {
        int n = 1;
        foreach (int d in shape)
        {
            n *= d;
        }

        return n;
    }
}
