namespace MetaLearn.Tensors.Serialization;

/// <summary>Mapping between <see cref="DType"/> and the dtype strings of the safetensors header.</summary>
internal static class SafeTensorsDTypes
{
    /// <summary>
    /// Dtype strings the safetensors format defines but this library cannot load. Recognising them
    /// lets the error say "unsupported" instead of "unknown".
    /// </summary>
    private static readonly HashSet<string> KnownUnsupported = new(StringComparer.Ordinal)
    {
        "BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2",
        "I16", "U16", "F16", "BF16", "I32", "U32", "I64", "U64", "C64",
    };

    /// <summary>The header string for <paramref name="dtype"/>.</summary>
    public static string ToHeaderString(DType dtype) => dtype switch
    {
        DType.Float32 => "F32",
        DType.Float64 => "F64",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unsupported dtype."),
    };

    /// <summary>Bytes per element of <paramref name="dtype"/>.</summary>
    public static int ElementSize(DType dtype) => dtype switch
    {
        DType.Float32 => sizeof(float),
        DType.Float64 => sizeof(double),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unsupported dtype."),
    };

    /// <summary>Whether <paramref name="headerString"/> is a dtype of the format that this library does not support.</summary>
    public static bool IsKnownUnsupported(string headerString) => KnownUnsupported.Contains(headerString);
}
