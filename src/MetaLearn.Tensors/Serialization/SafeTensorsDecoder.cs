using System.Buffers.Binary;
using System.Numerics;

namespace MetaLearn.Tensors.Serialization;

/// <summary>Converts little-endian element bytes of any readable <see cref="SafeTensorsDType"/> to floating-point or integer values.</summary>
/// <remarks>
/// Widening conversions (F8, F16, BF16 to float or double; F32 to double; integers of up to 24 bits to float) are exact.
/// Narrowing ones (F64 to float, large integers to float) round to nearest, as a C# cast does.
/// </remarks>
internal static class SafeTensorsDecoder
{
    /// <summary>Decodes <paramref name="source"/> (whole elements of <paramref name="dtype"/>) into <paramref name="destination"/>.</summary>
    public static void ToFloatingPoint<T>(ReadOnlySpan<byte> source, SafeTensorsDType dtype, Span<T> destination)
        where T : IBinaryFloatingPointIeee754<T>
    {
        var size = SafeTensorsDTypes.ElementSize(dtype);
        var count = source.Length / size;
        for (var i = 0; i < count; i++)
        {
            var bytes = source.Slice(i * size, size);
            destination[i] = dtype switch
            {
                SafeTensorsDType.Bool => bytes[0] != 0 ? T.One : T.Zero,
                SafeTensorsDType.UInt8 => T.CreateTruncating(bytes[0]),
                SafeTensorsDType.Int8 => T.CreateTruncating((sbyte)bytes[0]),
                SafeTensorsDType.Int16 => T.CreateTruncating(BinaryPrimitives.ReadInt16LittleEndian(bytes)),
                SafeTensorsDType.UInt16 => T.CreateTruncating(BinaryPrimitives.ReadUInt16LittleEndian(bytes)),
                SafeTensorsDType.Int32 => T.CreateTruncating(BinaryPrimitives.ReadInt32LittleEndian(bytes)),
                SafeTensorsDType.UInt32 => T.CreateTruncating(BinaryPrimitives.ReadUInt32LittleEndian(bytes)),
                SafeTensorsDType.Int64 => T.CreateTruncating(BinaryPrimitives.ReadInt64LittleEndian(bytes)),
                SafeTensorsDType.UInt64 => T.CreateTruncating(BinaryPrimitives.ReadUInt64LittleEndian(bytes)),
                SafeTensorsDType.Float8E4M3 => T.CreateTruncating(Float8E4M3ToSingle(bytes[0])),
                SafeTensorsDType.Float8E5M2 => T.CreateTruncating(BitConverter.UInt16BitsToHalf((ushort)(bytes[0] << 8))),
                SafeTensorsDType.Float16 => T.CreateTruncating(BinaryPrimitives.ReadHalfLittleEndian(bytes)),
                SafeTensorsDType.BFloat16 => T.CreateTruncating(BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes) << 16)),
                SafeTensorsDType.Float32 => T.CreateTruncating(BinaryPrimitives.ReadSingleLittleEndian(bytes)),
                SafeTensorsDType.Float64 => T.CreateTruncating(BinaryPrimitives.ReadDoubleLittleEndian(bytes)),
                _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown safetensors dtype."),
            };
        }
    }

    /// <summary>
    /// Decodes integer or boolean elements into <paramref name="destination"/>; returns the index of the first U64 value
    /// above <see cref="long.MaxValue"/>, or -1 when every value fits.
    /// </summary>
    public static int ToInt64(ReadOnlySpan<byte> source, SafeTensorsDType dtype, Span<long> destination)
    {
        var size = SafeTensorsDTypes.ElementSize(dtype);
        var count = source.Length / size;
        for (var i = 0; i < count; i++)
        {
            var bytes = source.Slice(i * size, size);
            if (dtype == SafeTensorsDType.UInt64)
            {
                var value = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
                if (value > long.MaxValue)
                {
                    return i;
                }

                destination[i] = (long)value;
                continue;
            }

            destination[i] = dtype switch
            {
                SafeTensorsDType.Bool => bytes[0] != 0 ? 1 : 0,
                SafeTensorsDType.UInt8 => bytes[0],
                SafeTensorsDType.Int8 => (sbyte)bytes[0],
                SafeTensorsDType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(bytes),
                SafeTensorsDType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(bytes),
                SafeTensorsDType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(bytes),
                SafeTensorsDType.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(bytes),
                SafeTensorsDType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(bytes),
                _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Not an integer safetensors dtype."),
            };
        }

        return -1;
    }

    /// <summary>
    /// Decodes an OCP FP8 E4M3 byte ("fn": exponent bias 7, no infinities, S.1111.111 is NaN, largest finite ±448).
    /// </summary>
    internal static float Float8E4M3ToSingle(byte bits)
    {
        var exponent = (bits >> 3) & 0xF;
        var mantissa = bits & 0x7;
        if (exponent == 0xF && mantissa == 0x7)
        {
            return float.NaN;
        }

        // Normal: (1 + m/8)·2^(e−7) = (8 + m)·2^(e−10); subnormal (e = 0): (m/8)·2^(1−7) = m·2^−9.
        var magnitude = exponent == 0 ? MathF.ScaleB(mantissa, -9) : MathF.ScaleB(8 + mantissa, exponent - 10);
        return (bits & 0x80) != 0 ? -magnitude : magnitude;
    }
}
