using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace MetaLearn.Tensors.Serialization;

/// <summary>Byte-order conversion between the file's little-endian elements and the machine's.</summary>
internal static class LittleEndianBytes
{
    /// <summary>
    /// Reverses the bytes of every <paramref name="elementSize"/>-byte element in place on a big-endian machine (a no-op
    /// on a little-endian one). The swap is its own inverse, so it converts in both directions.
    /// </summary>
    public static void SwapIfBigEndian(Span<byte> bytes, int elementSize)
    {
        if (BitConverter.IsLittleEndian)
        {
            return;
        }

        switch (elementSize)
        {
            case 1:
                break;
            case 2:
                BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, short>(bytes), MemoryMarshal.Cast<byte, short>(bytes));
                break;
            case 4:
                BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, int>(bytes), MemoryMarshal.Cast<byte, int>(bytes));
                break;
            case 8:
                BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, long>(bytes), MemoryMarshal.Cast<byte, long>(bytes));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(elementSize), elementSize, "Elements are 1, 2, 4 or 8 bytes.");
        }
    }
}
