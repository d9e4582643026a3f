namespace MetaLearn.Tensors.Serialization;

/// <summary>Facts about each <see cref="SafeTensorsDType"/>: its header string, its element size, whether it holds integers.</summary>
public static class SafeTensorsDTypes
{
    /// <summary>Every readable dtype with its header string and element size in bytes, indexed by the enum's value.</summary>
    private static readonly (SafeTensorsDType DType, string Text, int Size)[] Table =
    [
        (SafeTensorsDType.Bool, "BOOL", 1),
        (SafeTensorsDType.UInt8, "U8", 1),
        (SafeTensorsDType.Int8, "I8", 1),
        (SafeTensorsDType.Float8E5M2, "F8_E5M2", 1),
        (SafeTensorsDType.Float8E4M3, "F8_E4M3", 1),
        (SafeTensorsDType.Int16, "I16", 2),
        (SafeTensorsDType.UInt16, "U16", 2),
        (SafeTensorsDType.Float16, "F16", 2),
        (SafeTensorsDType.BFloat16, "BF16", 2),
        (SafeTensorsDType.Int32, "I32", 4),
        (SafeTensorsDType.UInt32, "U32", 4),
        (SafeTensorsDType.Float32, "F32", 4),
        (SafeTensorsDType.Float64, "F64", 8),
        (SafeTensorsDType.Int64, "I64", 8),
        (SafeTensorsDType.UInt64, "U64", 8),
    ];

    /// <summary>
    /// Dtype strings the safetensors format defines but this library cannot read. Recognising them lets the error say
    /// "unsupported" instead of "unknown".
    /// </summary>
    private static readonly HashSet<string> KnownUnsupported = new(StringComparer.Ordinal) { "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2", "C64" };

    /// <summary>The dtype whose header string is <paramref name="text"/> (case-sensitive, e.g. <c>"BF16"</c>), if it is a readable one.</summary>
    /// <param name="text">A header dtype string.</param>
    /// <param name="dtype">The dtype, when the method returns true.</param>
    /// <returns>Whether <paramref name="text"/> names a readable dtype.</returns>
    public static bool TryParse(string text, out SafeTensorsDType dtype)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var row in Table)
        {
            if (row.Text == text)
            {
                dtype = row.DType;
                return true;
            }
        }

        dtype = default;
        return false;
    }

    /// <summary>The header string for <paramref name="dtype"/>, e.g. <c>"I64"</c> for <see cref="SafeTensorsDType.Int64"/>.</summary>
    /// <param name="dtype">The dtype.</param>
    /// <returns>The string the format uses.</returns>
    public static string ToHeaderString(this SafeTensorsDType dtype) => Row(dtype).Text;

    /// <summary>Bytes per element of <paramref name="dtype"/> (1, 2, 4 or 8).</summary>
    /// <param name="dtype">The dtype.</param>
    /// <returns>The size in bytes.</returns>
    public static int ElementSize(this SafeTensorsDType dtype) => Row(dtype).Size;

    /// <summary>Whether <paramref name="dtype"/> holds integers (booleans included) rather than floating-point values.</summary>
    /// <param name="dtype">The dtype.</param>
    /// <returns>True for BOOL, U8, I8, I16, U16, I32, U32, I64 and U64.</returns>
    public static bool IsInteger(this SafeTensorsDType dtype) => dtype is SafeTensorsDType.Bool or SafeTensorsDType.UInt8 or SafeTensorsDType.Int8
        or SafeTensorsDType.Int16 or SafeTensorsDType.UInt16 or SafeTensorsDType.Int32 or SafeTensorsDType.UInt32 or SafeTensorsDType.Int64
            or SafeTensorsDType.UInt64;

    /// <summary>The file dtype that stores the engine's <paramref name="dtype"/> exactly (F32 or F64).</summary>
    /// <param name="dtype">An engine dtype.</param>
    /// <returns>The matching file dtype.</returns>
    public static SafeTensorsDType FromEngine(DType dtype) => dtype switch
    {
        DType.Float32 => SafeTensorsDType.Float32,
        DType.Float64 => SafeTensorsDType.Float64,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown engine dtype."),
    };

    /// <summary>Whether <paramref name="headerString"/> is a dtype of the format that this library does not support.</summary>
    internal static bool IsKnownUnsupported(string headerString) => KnownUnsupported.Contains(headerString);

    private static (SafeTensorsDType DType, string Text, int Size) Row(SafeTensorsDType dtype)
    {
        var index = (int)dtype;
        if ((uint)index >= (uint)Table.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown safetensors dtype.");
        }

        return Table[index];
    }
}
