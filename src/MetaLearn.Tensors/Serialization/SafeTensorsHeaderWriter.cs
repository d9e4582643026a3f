using System.Buffers;
using System.Globalization;
using System.Text;

namespace MetaLearn.Tensors.Serialization;

/// <summary>
/// Builds the header exactly as the reference implementation (serde_json, compact) would, so that
/// identical inputs give byte-identical files across implementations.
/// </summary>
internal static class SafeTensorsHeaderWriter
{
    /// <summary>The header is padded with spaces to this multiple so the data buffer starts aligned.</summary>
    public const int Alignment = 8;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Serialises the header for <paramref name="tensors"/> (already in file order) and <paramref name="metadata"/>.</summary>
    /// <param name="tensors">The tensors with their UTF-8 encoded names, in the order their data will be written.</param>
    /// <param name="metadata">Metadata pairs in the order to write them, or empty to omit <c>__metadata__</c>.</param>
    /// <returns>The padded header bytes (without the 8-byte length prefix).</returns>
    public static byte[] Build(IReadOnlyList<(byte[] Utf8Name, SafeTensorsEntry Entry)> tensors, IReadOnlyList<KeyValuePair<string, string>> metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Write(buffer, "{"u8);
        var first = true;
        if (metadata.Count > 0)
        {
            WriteString(buffer, "__metadata__"u8);
            Write(buffer, ":{"u8);
            for (var i = 0; i < metadata.Count; i++)
            {
                if (i > 0)
                {
                    Write(buffer, ","u8);
                }

                WriteString(buffer, StrictUtf8.GetBytes(metadata[i].Key));
                Write(buffer, ":"u8);
                WriteString(buffer, StrictUtf8.GetBytes(metadata[i].Value));
            }

            Write(buffer, "}"u8);
            first = false;
        }

        long offset = 0;
        foreach (var (utf8Name, entry) in tensors)
        {
            if (!first)
            {
                Write(buffer, ","u8);
            }

            first = false;
            var byteCount = (long)entry.ElementCount * SafeTensorsDTypes.ElementSize(entry.DType);
            WriteString(buffer, utf8Name);
            Write(buffer, ":{\"dtype\":\""u8);
            WriteAscii(buffer, SafeTensorsDTypes.ToHeaderString(entry.DType));
            Write(buffer, "\",\"shape\":["u8);
            for (var d = 0; d < entry.Shape.Length; d++)
            {
                if (d > 0)
                {
                    Write(buffer, ","u8);
                }

                WriteAscii(buffer, entry.Shape[d].ToString(CultureInfo.InvariantCulture));
            }

            Write(buffer, "],\"data_offsets\":["u8);
            WriteAscii(buffer, offset.ToString(CultureInfo.InvariantCulture));
            Write(buffer, ","u8);
            offset += byteCount;
            WriteAscii(buffer, offset.ToString(CultureInfo.InvariantCulture));
            Write(buffer, "]}"u8);
        }

        Write(buffer, "}"u8);
        var padding = (Alignment - (buffer.WrittenCount % Alignment)) % Alignment;
        buffer.GetSpan(padding)[..padding].Fill((byte)' ');
        buffer.Advance(padding);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Encodes <paramref name="text"/> as UTF-8, rejecting unpaired surrogates.</summary>
    public static byte[] EncodeUtf8(string text) => StrictUtf8.GetBytes(text);

    /// <summary>Writes a JSON string with serde_json's escaping: quote, backslash and control characters only.</summary>
    private static void WriteString(ArrayBufferWriter<byte> buffer, ReadOnlySpan<byte> utf8)
    {
        Write(buffer, "\""u8);
        foreach (var b in utf8)
        {
            // UTF-8 continuation and lead bytes are all >= 0x80, so escaping byte-wise is safe.
            switch (b)
            {
                case (byte)'"': Write(buffer, "\\\""u8); break;
                case (byte)'\\': Write(buffer, "\\\\"u8); break;
                case 0x08: Write(buffer, "\\b"u8); break;
                case 0x09: Write(buffer, "\\t"u8); break;
                case 0x0A: Write(buffer, "\\n"u8); break;
                case 0x0C: Write(buffer, "\\f"u8); break;
                case 0x0D: Write(buffer, "\\r"u8); break;
                case < 0x20:
                    WriteAscii(buffer, "\\u00" + b.ToString("x2", CultureInfo.InvariantCulture));
                    break;
                default:
                    buffer.GetSpan(1)[0] = b;
                    buffer.Advance(1);
                    break;
            }
        }

        Write(buffer, "\""u8);
    }

    private static void WriteAscii(ArrayBufferWriter<byte> buffer, string ascii)
    {
        var span = buffer.GetSpan(ascii.Length);
        for (var i = 0; i < ascii.Length; i++)
        {
            span[i] = (byte)ascii[i];
        }

        buffer.Advance(ascii.Length);
    }

    private static void Write(ArrayBufferWriter<byte> buffer, ReadOnlySpan<byte> bytes) => buffer.Write(bytes);
}
