using System.Collections.Immutable;

namespace MetaLearn.Tensors.Serialization;

/// <summary>
/// One named tensor of a safetensors file: its dtype, its shape and its elements in row-major order.
/// Exactly one of <see cref="Float32Data"/> and <see cref="Float64Data"/> is non-null, matching <see cref="DType"/>.
/// </summary>
/// <remarks>
/// The entry takes ownership of the data array passed to a factory method and does not copy it:
/// mutating the array afterwards mutates the entry.
/// </remarks>
public sealed class SafeTensorsEntry
{
    /// <summary>The header key reserved by the format for free-form metadata; no tensor may use it.</summary>
    public const string MetadataKey = "__metadata__";

    private SafeTensorsEntry(string name, DType dtype, ImmutableArray<int> shape, float[]? float32Data, double[]? float64Data)
    {
        Name = name;
        DType = dtype;
        Shape = shape;
        Float32Data = float32Data;
        Float64Data = float64Data;
    }

    /// <summary>The tensor's name (its key in the header).</summary>
    public string Name { get; }

    /// <summary>The element type.</summary>
    public DType DType { get; }

    /// <summary>The dimensions, outermost first; empty for a scalar.</summary>
    public ImmutableArray<int> Shape { get; }

    /// <summary>The number of elements: the product of <see cref="Shape"/> (1 for a scalar).</summary>
    public int ElementCount => DType == DType.Float32 ? Float32Data!.Length : Float64Data!.Length;

    /// <summary>The elements when <see cref="DType"/> is <see cref="DType.Float32"/>; otherwise <see langword="null"/>.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "Checkpoints are large; the entry deliberately exposes its buffer without copying.")]
    public float[]? Float32Data { get; }

    /// <summary>The elements when <see cref="DType"/> is <see cref="DType.Float64"/>; otherwise <see langword="null"/>.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "Checkpoints are large; the entry deliberately exposes its buffer without copying.")]
    public double[]? Float64Data { get; }

    /// <summary>Creates a <see cref="DType.Float32"/> entry.</summary>
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
        return new SafeTensorsEntry(name, DType.Float32, dims, data, null);
    }

    /// <summary>Creates a <see cref="DType.Float64"/> entry.</summary>
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
        return new SafeTensorsEntry(name, DType.Float64, dims, null, data);
    }

    /// <summary>
    /// Creates an entry from data the loader has already validated against its header, skipping the
    /// checks (the loader reports its own, file-specific errors).
    /// </summary>
    internal static SafeTensorsEntry CreateValidated(string name, ImmutableArray<int> shape, float[]? float32Data, double[]? float64Data) =>
        float32Data is not null
            ? new SafeTensorsEntry(name, DType.Float32, shape, float32Data, null)
            : new SafeTensorsEntry(name, DType.Float64, shape, null, float64Data);

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
                throw new ArgumentException($"Shape [{string.Join(", ", shape.ToArray())}] has a negative dimension.", nameof(shape));
            }

            // Once the product passes the data length it can only match if a later dimension is 0,
            // so clamping keeps the arithmetic from overflowing without changing the verdict.
            product = Math.Min(product * dim, (long)dataLength + 1);
        }

        if (product != dataLength)
        {
            throw new ArgumentException(
                $"Shape [{string.Join(", ", shape.ToArray())}] describes a different number of elements than the {dataLength} supplied.",
                nameof(shape));
        }

        return [.. shape];
    }
}
