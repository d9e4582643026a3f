using System.Buffers.Binary;
using System.Text;

namespace MetaLearn.Tensors.Tests.Serialization;

/// <summary>Builds raw safetensors bytes by hand, and provides a scratch directory per test.</summary>
internal static class SafeTensorsTestFiles
{
    /// <summary>Length prefix + <paramref name="headerJson"/> padded with spaces to a multiple of 8 + <paramref name="dataBytes"/> zero bytes.</summary>
    public static byte[] Build(string headerJson, int dataBytes) => Build(Encoding.UTF8.GetBytes(headerJson), dataBytes);

    /// <summary>Length prefix + raw header bytes padded with spaces to a multiple of 8 + <paramref name="dataBytes"/> zero bytes.</summary>
    public static byte[] Build(byte[] header, int dataBytes)
    {
        var padded = (header.Length + 7) / 8 * 8;
        var file = new byte[8 + padded + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)padded);
        header.CopyTo(file, 8);
        file.AsSpan(8 + header.Length, padded - header.Length).Fill((byte)' ');
        return file;
    }

    /// <summary>A file that is just a length prefix claiming <paramref name="headerLength"/>, followed by <paramref name="trailing"/> bytes.</summary>
    public static byte[] PrefixOnly(ulong headerLength, int trailing)
    {
        var file = new byte[8 + trailing];
        BinaryPrimitives.WriteUInt64LittleEndian(file, headerLength);
        return file;
    }
}
