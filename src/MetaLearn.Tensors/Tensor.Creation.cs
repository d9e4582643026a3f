using MetaLearn.Tensors.Internal;

namespace MetaLearn.Tensors;

public sealed partial class Tensor
{
    /// <summary>An uninitialized tensor for kernels to fill (the caller must write every element).</summary>
    internal static Tensor Empty(int[] shape, DType dtype)
    {
        int count = ShapeHelper.Count(shape);
        return new Tensor(AllocationScope.Allocate(dtype, count), shape, dtype);
    }

    /// <summary>A tensor of the same shape and dtype as <paramref name="like"/>, uninitialized.</summary>
    internal static Tensor EmptyLike(Tensor like) => Empty(like._shape, like.DType);

    /// <summary>A float32 tensor of zeros.</summary>
    public static Tensor Zeros(params int[] shape) => Zeros(shape, DType.Float32);

    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(ReadOnlySpan<int> shape, DType dtype)
    {
        int[] s = ShapeHelper.Validate("Zeros", shape, nameof(shape));
        int count = ShapeHelper.Count(s);
        Array storage = dtype == DType.Float32 ? new float[count] : new double[count];
        return new Tensor(storage, s, dtype);
    }

    /// <summary>A float32 tensor of ones.</summary>
    public static Tensor Ones(params int[] shape) => Full(shape, 1.0, DType.Float32);

    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(ReadOnlySpan<int> shape, DType dtype) => Full(shape, 1.0, dtype);

    /// <summary>A tensor with every element equal to <paramref name="value"/>.</summary>
    public static Tensor Full(ReadOnlySpan<int> shape, double value, DType dtype = DType.Float32)
    {
        var t = Empty(ShapeHelper.Validate("Full", shape, nameof(shape)), dtype);
        t.Fill(value);
        return t;
    }

    /// <summary>The identity matrix: [<paramref name="size"/>, <paramref name="size"/>], ones on the diagonal and zeros elsewhere.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is negative.</exception>
    public static Tensor Identity(int size, DType dtype = DType.Float32)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var values = new double[size * size];
        for (int i = 0; i < size; i++)
        {
            values[(i * size) + i] = 1;
        }

        return dtype == DType.Float64 ? FromArray(values, size, size) : FromArray(Array.ConvertAll(values, v => (float)v), size, size);
    }

    /// <summary>A zero-dimensional tensor holding <paramref name="value"/>.</summary>
    public static Tensor Scalar(double value, DType dtype = DType.Float32) => Full(ShapeHelper.Scalar, value, dtype);

    /// <summary>The values start, start+step, ... below <paramref name="stop"/> (above it for a negative step), as a 1-d tensor.</summary>
    public static Tensor Arange(double start, double stop, double step = 1.0, DType dtype = DType.Float32)
    {
        if (step == 0 || double.IsNaN(step) || double.IsInfinity(step))
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "Arange: step must be finite and non-zero.");
        }

        double span = Math.Ceiling((stop - start) / step);
        if (double.IsNaN(span) || span > Array.MaxLength)
        {
            throw new ArgumentException($"Arange: the range [{start}, {stop}) with step {step} is not a valid size.", nameof(stop));
        }

        int count = Math.Max(0, (int)span);
        var t = Empty([count], dtype);
        for (int i = 0; i < count; i++)
        {
            t.SetFlat(i, start + (i * step));
        }

        return t;
    }

    /// <summary>A float32 tensor copying <paramref name="data"/>, with the given shape (a 1-d tensor when none is given).</summary>
    public static Tensor FromArray(float[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        return FromSpan((ReadOnlySpan<float>)data, shape.Length == 0 ? [data.Length] : shape);
    }

    /// <summary>A float64 tensor copying <paramref name="data"/>, with the given shape (a 1-d tensor when none is given).</summary>
    public static Tensor FromArray(double[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        return FromSpan((ReadOnlySpan<double>)data, shape.Length == 0 ? [data.Length] : shape);
    }

    /// <summary>A float32 tensor copying <paramref name="data"/>.</summary>
    public static Tensor FromSpan(ReadOnlySpan<float> data, ReadOnlySpan<int> shape)
    {
        int[] s = ShapeHelper.Validate("FromSpan", shape, nameof(shape));
        CheckLength(data.Length, s);
        var t = Empty(s, DType.Float32);
        data.CopyTo(t.F32);
        return t;
    }

    /// <summary>A float64 tensor copying <paramref name="data"/>.</summary>
    public static Tensor FromSpan(ReadOnlySpan<double> data, ReadOnlySpan<int> shape)
    {
        int[] s = ShapeHelper.Validate("FromSpan", shape, nameof(shape));
        CheckLength(data.Length, s);
        var t = Empty(s, DType.Float64);
        data.CopyTo(t.F64);
        return t;
    }

    /// <summary>Samples from the normal distribution N(<paramref name="mean"/>, <paramref name="std"/>²).</summary>
    public static Tensor RandomNormal(Generator generator, ReadOnlySpan<int> shape, double mean = 0, double std = 1, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(generator);
        if (!(std >= 0) || double.IsInfinity(std))
        {
            throw new ArgumentOutOfRangeException(nameof(std), std, "RandomNormal: std must be finite and non-negative.");
        }

        var t = Empty(ShapeHelper.Validate("RandomNormal", shape, nameof(shape)), dtype);
        for (int i = 0; i < t.Count; i++)
        {
            t.SetFlat(i, mean + (std * generator.NextNormal()));
        }

        return t;
    }

    /// <summary>Samples uniformly from [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static Tensor RandomUniform(Generator generator, ReadOnlySpan<int> shape, double low = 0, double high = 1, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(generator);
        if (!(high >= low) || double.IsInfinity(high - low))
        {
            throw new ArgumentException($"RandomUniform: need finite low <= high, got [{low}, {high}).", nameof(high));
        }

        var t = Empty(ShapeHelper.Validate("RandomUniform", shape, nameof(shape)), dtype);
        for (int i = 0; i < t.Count; i++)
        {
            t.SetFlat(i, low + ((high - low) * generator.NextDouble()));
        }

        return t;
    }

    /// <summary>A tensor of zeros with the shape and dtype of this one.</summary>
    public Tensor ZerosLike() => Zeros(_shape, DType);

    /// <summary>A tensor of ones with the shape and dtype of this one.</summary>
    public Tensor OnesLike() => Full(_shape, 1.0, DType);

    /// <summary>A deep copy with no gradient history.</summary>
    public Tensor Clone()
    {
        var t = EmptyLike(this);
        Array.Copy(_storage, t._storage, Count);
        return t;
    }

    internal void SetFlat(int index, double value)
    {
        if (DType == DType.Float32)
        {
            F32[index] = (float)value;
        }
        else
        {
            F64[index] = value;
        }
    }

    private static void CheckLength(int length, int[] shape)
    {
        if (length != ShapeHelper.Count(shape))
        {
            throw new ArgumentException($"FromSpan: {length} values cannot fill the shape {Shapes.Format(shape)} "
                + $"({ShapeHelper.Count(shape)} elements).", nameof(shape));
        }
    }
}
