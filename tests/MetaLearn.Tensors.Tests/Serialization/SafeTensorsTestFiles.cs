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

    /// <summary>A valid file holding the given tensors, laid out in order, each with its raw little-endian bytes.</summary>
    public static byte[] FileOf(params (string Name, string DType, int[] Shape, byte[] Data)[] tensors)
    {
        var header = new StringBuilder("{");
        var offset = 0;
        foreach (var (name, dtype, shape, data) in tensors)
        {
            header.Append(header.Length > 1 ? "," : "")
                .Append($"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":[{string.Join(",", shape)}],\"data_offsets\":[{offset},{offset + data.Length}]}}");
            offset += data.Length;
        }

        var file = Build(header.Append('}').ToString(), offset);
        var position = file.Length - offset;
        foreach (var (_, _, _, data) in tensors)
        {
            data.CopyTo(file, position);
            position += data.Length;
        }

        return file;
    }

    /// <summary>The little-endian bytes of <paramref name="values"/>, each written by <paramref name="write"/> into <paramref name="size"/> bytes.</summary>
    public static byte[] LittleEndian<T>(int size, Action<Span<byte>, T> write, params T[] values)
    {
        var bytes = new byte[values.Length * size];
        for (var i = 0; i < values.Length; i++)
        {
            write(bytes.AsSpan(i * size, size), values[i]);
        }

        return bytes;
    }

    /// <summary>A file that is just a length prefix claiming <paramref name="headerLength"/>, followed by <paramref name="trailing"/> bytes.</summary>
    public static byte[] PrefixOnly(ulong headerLength, int trailing)
    {
        var file = new byte[8 + trailing];
        BinaryPrimitives.WriteUInt64LittleEndian(file, headerLength);
        return file;
    }
}
