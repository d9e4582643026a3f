using MetaLearn.Tensors;

namespace MetaLearn.Tests.Optim;

/// <summary>Small builders shared by the optimizer tests.</summary>
internal static class OptimTestHelpers
{
    /// <summary>A float64 leaf parameter that requires grad.</summary>
    public static Tensor Parameter(params double[] values)
    {
        var p = Tensor.FromArray((double[])values.Clone(), values.Length);
        p.RequiresGrad = true;
        return p;
    }

    /// <summary>A float32 leaf parameter that requires grad.</summary>
    public static Tensor Parameter32(params float[] values)
    {
        var p = Tensor.FromArray((float[])values.Clone(), values.Length);
        p.RequiresGrad = true;
        return p;
    }

    /// <summary>A float64 gradient tensor.</summary>
    public static Tensor Grad(params double[] values) => Tensor.FromArray((double[])values.Clone(), values.Length);

    /// <summary>Asserts two arrays agree elementwise within <paramref name="tolerance"/>.</summary>
    public static void Near(double[] expected, double[] actual, double tolerance = 1e-12)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"Element {i}: expected {expected[i]:R}, got {actual[i]:R}.");
        }
    }
}
