using System.Diagnostics.CodeAnalysis;

namespace MetaLearn.Tensors.Serialization;

/// <summary>
/// The element types a safetensors file may declare that this library can read (the header's <c>dtype</c> string is
/// given with each member). The engine computes in <see cref="Tensors.DType.Float32"/> and
/// <see cref="Tensors.DType.Float64"/> only; <see cref="SafeTensorsReader"/> converts the other types on request.
/// </summary>
/// <remarks>
/// <para>
/// The format also defines <c>F8_E8M0</c>, the packed sub-byte types <c>F4</c>, <c>F6_E2M3</c>, <c>F6_E3M2</c> and the
/// complex <c>C64</c>; a file that uses them is rejected with an "unsupported dtype" error naming the tensor.
/// </para>
/// <para>
/// The members are declared in the reference implementation's order (increasing alignment); its writer, and ours,
/// lays tensors out by descending order of this type and then by name.
/// </para>
/// </remarks>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The members are the format's own type names (Int64 is the file's I64).")]
public enum SafeTensorsDType
{
    /// <summary><c>BOOL</c>: one byte per element, zero for false and any other value for true.</summary>
    Bool,

    /// <summary><c>U8</c>: unsigned 8-bit integer.</summary>
    UInt8,

    /// <summary><c>I8</c>: signed 8-bit integer.</summary>
    Int8,

    /// <summary><c>F8_E5M2</c>: 8-bit float with 5 exponent and 2 mantissa bits (the upper byte of an IEEE half, with infinities and NaN).</summary>
    Float8E5M2,

    /// <summary><c>F8_E4M3</c>: 8-bit float with 4 exponent and 3 mantissa bits, no infinities (the "fn" variant: largest 448, 0x7F and 0xFF are
    /// NaN).</summary>
    Float8E4M3,

    /// <summary><c>I16</c>: signed 16-bit integer.</summary>
    Int16,

    /// <summary><c>U16</c>: unsigned 16-bit integer.</summary>
    UInt16,

    /// <summary><c>F16</c>: IEEE 754 half precision.</summary>
    Float16,

    /// <summary><c>BF16</c>: bfloat16, the upper 16 bits of an IEEE single.</summary>
    BFloat16,

    /// <summary><c>I32</c>: signed 32-bit integer.</summary>
    Int32,

    /// <summary><c>U32</c>: unsigned 32-bit integer.</summary>
    UInt32,

    /// <summary><c>F32</c>: IEEE 754 single precision (the engine's <see cref="Tensors.DType.Float32"/>).</summary>
    Float32,

    /// <summary><c>F64</c>: IEEE 754 double precision (the engine's <see cref="Tensors.DType.Float64"/>).</summary>
    Float64,

    /// <summary><c>I64</c>: signed 64-bit integer (PyTorch's <c>long</c>, e.g. batch norm's <c>num_batches_tracked</c>).</summary>
    Int64,

    /// <summary><c>U64</c>: unsigned 64-bit integer.</summary>
    UInt64,
}
