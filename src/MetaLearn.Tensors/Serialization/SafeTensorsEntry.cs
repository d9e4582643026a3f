using System.Collections.Immutable;

namespace MetaLearn.Tensors.Serialization;

/// <summary>
/// One named tensor of a safetensors file held in memory: its dtype, its shape and its elements in row-major order, for
/// the three dtypes that are written and loaded whole (<c>F32</c>, <c>F64</c>, <c>I64</c>). Exactly one of
/// <see cref="Float32Data"/>, <see cref="Float64Data"/> and <see cref="Int64Data"/> is non-null, matching <see cref="DType"/>.
/// Other dtypes are read through <see cref="SafeTensorsReader"/>.
/// </summary>
/// <remarks>
/// The entry takes ownership of the data array passed to a factory method and does not copy it:
/// mutating the array afterwards mutates the entry.
/// </remarks>
public sealed class SafeTensorsEntry
{
    /// <summary>The header key reserved by the format for free-form metadata; no tensor may use it.</summary>
    public const string MetadataKey = "__metadata__";

    private SafeTensorsEntry(string name, ImmutableArray<int> shape, float[]? float32Data, double[]? float64Data, long[]? int64Data)
    {
        Name = name;
        DType = float32Data is not null ? SafeTensorsDType.Float32 : float64Data is not null ? SafeTensorsDType.Float64 : SafeTensorsDType.Int64;
        Shape = shape;
        Float32Data = float32Data;
        Float64Data = float64Data;
        Int64Data = int64Data;
    }

    /// <summary>The tensor's name (its key in the header).</summary>
    public string Name { get; }

    /// <summary>The element type: <see cref="SafeTensorsDType.Float32"/>, <see cref="SafeTensorsDType.Float64"/> or
    /// <see cref="SafeTensorsDType.Int64"/>.</summary>
    public SafeTensorsDType DType { get; }

    /// <summary>The dimensions, outermost first; empty for a scalar.</summary>
    public ImmutableArray<int> Shape { get; }

    /// <summary>The number of elements: the product of <see cref="Shape"/> (1 for a scalar).</summary>
    public int ElementCount => Float32Data?.Length ?? Float64Data?.Length ?? Int64Data!.Length;

    /// <summary>The elements when <see cref="DType"/> is <see cref="SafeTensorsDType.Float32"/>; otherwise <see langword="null"/>.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1819:Properties should not return arrays",
        Justification = "Checkpoints are large; the entry deliberately exposes its buffer without copying.")]
    public float[]? Float32Data { get; }

    /// <summary>The elements when <see cref="DType"/> is <see cref="SafeTensorsDType.Float64"/>; otherwise <see langword="null"/>.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1819:Properties should not return arrays",
        Justification = "Checkpoints are large; the entry deliberately exposes its buffer without copying.")]
    public double[]? Float64Data { get; }

    /// <summary>The elements when <see cref="DType"/> is <see cref="SafeTensorsDType.Int64"/> (counters such as <c>num_batches_tracked</c>);
    /// otherwise <see langword="null"/>.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1819:Properties should not return arrays",
        Justification = "The entry deliberately exposes its buffer without copying, like the float ones.")]
    public long[]? Int64Data { get; }

    /// <summary>Creates a <see cref="SafeTensorsDType.Float32"/> entry.</summary>
    /// <param name="name">A non-empty name other than <see cref="MetadataKey"/>, without unpaired surrogates.</param>
    /// <param name="shape">The dimensions (each non-negative); empty for a scalar.</param>
    /// <param name="data">The elements in row-major order; its length must equal the product of <paramref name="shape"/>. Not copied.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="ArgumentException">The name is invalid, a dimension is negative, or the shape does not match the data length.</exception>
    public static SafeTensorsEntry FromFloat32(string name, ReadOnlySpan<int> shape, float[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        ValidateName(name);
        var dims = ValidateShape(shape, data.Length);
        return new SafeTensorsEntry(name, dims, data, null, null);
    }

    /// <summary>Creates a <see cref="SafeTensorsDType.Float64"/> entry.</summary>
    /// <param name="name">A non-empty name other than <see cref="MetadataKey"/>, without unpaired surrogates.</param>
    /// <param name="shape">The dimensions (each non-negative); empty for a scalar.</param>
    /// <param name="data">The elements in row-major order; its length must equal the product of <paramref name="shape"/>. Not copied.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="ArgumentException">The name is invalid, a dimension is negative, or the shape does not match the data length.</exception>
    public static SafeTensorsEntry FromFloat64(string name, ReadOnlySpan<int> shape, double[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        ValidateName(name);
        var dims = ValidateShape(shape, data.Length);
        return new SafeTensorsEntry(name, dims, null, data, null);
    }

    /// <summary>Creates a <see cref="SafeTensorsDType.Int64"/> entry, e.g. a counter that PyTorch stores as a long.</summary>
    /// <param name="name">A non-empty name other than <see cref="MetadataKey"/>, without unpaired surrogates.</param>
    /// <param name="shape">The dimensions (each non-negative); empty for a scalar.</param>
    /// <param name="data">The elements in row-major order; its length must equal the product of <paramref name="shape"/>. Not copied.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="ArgumentException">The name is invalid, a dimension is negative, or the shape does not match the data length.</exception>
    public static SafeTensorsEntry FromInt64(string name, ReadOnlySpan<int> shape, long[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        ValidateName(name);
        var dims = ValidateShape(shape, data.Length);
        return new SafeTensorsEntry(name, dims, null, null, data);
    }

    /// <summary>
    /// Creates an entry from data the loader has already validated against its header, skipping the
    /// checks (the loader reports its own, file-specific errors).
    /// </summary>
    internal static SafeTensorsEntry CreateValidated(string name, ImmutableArray<int> shape, float[] data) => new(name, shape, data, null, null);

    /// <inheritdoc cref="CreateValidated(string, ImmutableArray{int}, float[])"/>
    internal static SafeTensorsEntry CreateValidated(string name, ImmutableArray<int> shape, double[] data) => new(name, shape, null, data, null);

    /// <inheritdoc cref="CreateValidated(string, ImmutableArray{int}, float[])"/>
    internal static SafeTensorsEntry CreateValidated(string name, ImmutableArray<int> shape, long[] data) => new(name, shape, null, null, data);

    /// <summary>The reason <paramref name="name"/> cannot be a tensor name, or <see langword="null"/> if it can.</summary>
    internal static string? NameProblem(string name)
    {
        if (name.Length == 0)
        {
            return "the tensor name is empty";
        }

        if (name == MetadataKey)
        {
            return $"'{MetadataKey}' is reserved for metadata and cannot name a tensor";
        }

        return SafeTensorsText.IsWellFormedUtf16(name) ? null : "the tensor name contains an unpaired surrogate and cannot be encoded as UTF-8";
    }

    private static void ValidateName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (NameProblem(name) is { } problem)
        {
            throw new ArgumentException($"Invalid tensor name: {problem}.", nameof(name));
        }
    }

    private static ImmutableArray<int> ValidateShape(ReadOnlySpan<int> shape, int dataLength)
    {
        long product = 1;
        foreach (var dim in shape)
        {
            if (dim < 0)
            {
                throw new ArgumentException($"Shape {Shapes.Format(shape)} has a negative dimension.", nameof(shape));
            }

            // Once the product passes the data length it can only match if a later dimension is 0,
            // so clamping keeps the arithmetic from overflowing without changing the verdict.
            product = Math.Min(product * dim, (long)dataLength + 1);
        }

        if (product != dataLength)
        {
            throw new ArgumentException(
                $"Shape {Shapes.Format(shape)} describes a different number of elements than the {dataLength} supplied.",
                nameof(shape));
        }

        return [.. shape];
    }
}
