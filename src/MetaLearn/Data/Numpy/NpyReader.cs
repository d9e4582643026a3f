using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace MetaLearn.Data.Numpy;

/// <summary>
/// Reads one array in numpy's .npy format (versions 1 to 3): the magic "\x93NUMPY", the version, the header's length,
/// a header that is a Python dict literal <c>{'descr': '&lt;u1', 'fortran_order': False, 'shape': (2, 84, 84, 3), }</c>,
/// then the raw items.
/// </summary>
internal static class NpyReader
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads the array in <paramref name="stream"/>; <paramref name="where"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">Not a .npy array of a supported dtype, or truncated.</exception>
    public static NumpyArray Read(Stream stream, string where)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var start = new byte[8];
        if (stream.ReadAtLeast(start, 8, throwOnEndOfStream: false) < 8 || !start.AsSpan(0, 6).SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{where}: not a .npy array (it does not start with \"\\x93NUMPY\").");
        }

        int major = start[6];
        if (major is < 1 or > 3)
        {
            throw new InvalidDataException($"{where}: .npy format version {major}.{start[7]} is not supported (1.0 to 3.0 are).");
        }

        var lengthBytes = new byte[major == 1 ? 2 : 4];
        ReadExactly(stream, lengthBytes, where);
        long headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(lengthBytes) : BinaryPrimitives.ReadUInt32LittleEndian(lengthBytes);
        if (headerLength > 1 << 20)
        {
            throw new InvalidDataException($"{where}: the .npy header claims {headerLength} bytes; it is corrupt.");
        }

        var headerBytes = new byte[headerLength];
        ReadExactly(stream, headerBytes, where);
        var header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);
        var (descr, fortran, shape) = ParseHeader(header, where);
        var dtype = NumpyDType.Parse(descr, where);
        long count = shape.Aggregate(1L, (a, b) => checked(a * b));
        long bytes = checked(count * dtype.ItemSize);
        if (bytes > Array.MaxLength)
        {
            throw new InvalidDataException($"{where}: the array {descr} [{string.Join(", ", shape)}] has {bytes} bytes, more than one .NET array holds.");
        }

        var data = new byte[bytes];
        ReadExactly(stream, data, where);
        return new NumpyArray(dtype, shape, fortran, data, where);
    }

    /// <summary>The descr, fortran_order and shape of a header dict literal.</summary>
    internal static (string Descr, bool Fortran, long[] Shape) ParseHeader(string header, string where)
    {
        string? descr = null;
        bool? fortran = null;
        long[]? shape = null;
        var text = header.Trim();
        if (!text.StartsWith('{') || !text.EndsWith('}'))
        {
            throw Bad(header, "it is not a dict literal", where);
        }

        int i = 1;
        while (true)
        {
            Skip(text, ref i, ", \t\r\n", header, where);
            if (text[i] == '}')
            {
                break;
            }

            var key = Quoted(text, ref i, header, where);
            Skip(text, ref i, " ", header, where);
            Expect(text, ref i, ':', header, where);
            Skip(text, ref i, " ", header, where);
            switch (key)
            {
                case "descr":
                    descr = text[i] is '[' ? throw Bad(header, "structured dtypes are not supported", where) : Quoted(text, ref i, header, where);
                    break;
                case "fortran_order":
                    fortran = text[i..].StartsWith("True", StringComparison.Ordinal) ? true
                        : text[i..].StartsWith("False", StringComparison.Ordinal) ? false : throw Bad(header, "fortran_order is not True or False", where);
                    i += fortran.Value ? 4 : 5;
                    break;
                case "shape":
                    shape = Shape(text, ref i, header, where);
                    break;
                default:
                    throw Bad(header, $"it has the unknown key '{key}'", where);
            }
        }

        return (descr ?? throw Bad(header, "'descr' is missing", where), fortran ?? throw Bad(header, "'fortran_order' is missing", where),
            shape ?? throw Bad(header, "'shape' is missing", where));
    }

    private static long[] Shape(string text, ref int i, string header, string where)
    {
        Expect(text, ref i, '(', header, where);
        var dimensions = new List<long>();
        while (true)
        {
            Skip(text, ref i, ", ", header, where);
            if (text[i] == ')')
            {
                i++;
                return [.. dimensions];
            }

            int start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            if (!long.TryParse(text.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture, out long dimension))
            {
                throw Bad(header, "the shape is not a tuple of non-negative ints", where);
            }

            dimensions.Add(dimension);
        }
    }

    private static string Quoted(string text, ref int i, string header, string where)
    {
        char quote = text[i];
        int end = quote is '\'' or '"' ? text.IndexOf(quote, i + 1) : -1;
        if (end < 0)
        {
            throw Bad(header, $"a quoted string was expected at character {i}", where);
        }

        var value = text[(i + 1)..end];
        i = end + 1;
        return value;
    }

    private static void Skip(string text, ref int i, string characters, string header, string where)
    {
        while (i < text.Length && characters.Contains(text[i], StringComparison.Ordinal))
        {
            i++;
        }

        if (i >= text.Length)
        {
            throw Bad(header, "it ends early", where);
        }
    }

    private static void Expect(string text, ref int i, char expected, string header, string where)
    {
        if (text[i] != expected)
        {
            throw Bad(header, $"'{expected}' was expected at character {i}", where);
        }

        i++;
    }

    private static void ReadExactly(Stream stream, byte[] buffer, string where)
    {
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{where}: the .npy data ends early; the file is truncated.", e);
        }
    }

    private static InvalidDataException Bad(string header, string problem, string where)
        => new($"{where}: the .npy header {header.Trim()} cannot be read: {problem}.");
}
