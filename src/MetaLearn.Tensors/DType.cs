using System.Diagnostics.CodeAnalysis;

namespace MetaLearn.Tensors;

/// <summary>The element type of a tensor.</summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name",
    Justification = "Float32/Float64 are the names every tensor library and the safetensors format use.")]
public enum DType
{
    /// <summary>32-bit IEEE 754 floating point (the default).</summary>
    Float32,

    /// <summary>64-bit IEEE 754 floating point (used by gradient checks).</summary>
    Float64,
}
