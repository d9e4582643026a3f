using MetaLearn.Tensors;

namespace MetaLearn.Tensors.Tests;

/// <summary>Assertions and constructors shared by the known-value tests.</summary>
internal static class TensorAssert
{
    public static readonly TheoryData<DType> BothDTypes = new() { DType.Float32, DType.Float64 };

    /// <summary>A tensor of <paramref name="dtype"/> holding <paramref name="data"/> with the given shape.</summary>
    public static Tensor Make(DType dtype, double[] data, params int[] shape) => Tensor.FromArray(data, shape).AsType(dtype);

    /// <summary>A 1-d float64 tensor.</summary>
    public static Tensor Vector(params double[] values) => Tensor.FromArray(values);

    /// <summary>A 1-d float32 tensor.</summary>
    public static Tensor Vector32(params float[] values) => Tensor.FromArray(values);

    /// <summary>0, 1, ..., count−1 reshaped.</summary>
    public static Tensor Range(int count, DType dtype, params int[] shape) => Tensor.Arange(0, count, 1, dtype).Reshape(shape);

    public static double Tolerance(DType dtype) => dtype == DType.Float32 ? 1e-5 : 1e-12;

    /// <summary>Checks shape and every element to within an absolute-plus-relative tolerance.</summary>
    public static void Close(Tensor actual, int[] shape, double[] expected, double tolerance)
    {
        Assert.Equal(shape, actual.Shape.ToArray());
        var values = actual.ToDoubleArray();
        Assert.Equal(expected.Length, values.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(values[i] - expected[i]);
            bool close = error <= tolerance * (1 + Math.Abs(expected[i])) || (double.IsPositiveInfinity(expected[i]) && double.IsPositiveInfinity(values[i])) || (double.IsNegativeInfinity(expected[i]) && double.IsNegativeInfinity(values[i]));
            if (!close)
            {
                // Formatted only on failure: building it for every element costs O(n²).
                Assert.Fail($"element {i}: expected {expected[i]}, got {values[i]} (all: [{string.Join(", ", values)}])");
            }
        }
    }

    public static void Close(Tensor actual, int[] shape, double[] expected) => Close(actual, shape, expected, Tolerance(actual.DType));
}
