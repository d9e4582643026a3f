using System.Globalization;

namespace MetaLearn.Data.Numpy;

/// <summary>
/// A numpy dtype of fixed-size values: its kind ('b' bool, 'i' signed and 'u' unsigned integers, 'f' floats, 'S' bytes,
/// 'U' UTF-32 text), the bytes of one item, and the byte order. Object arrays ('O') are refused: they hold pickles.
/// </summary>
internal sealed class NumpyDType
{
    private NumpyDType(char kind, int itemSize, bool bigEndian)
    {
        Kind = kind;
        ItemSize = itemSize;
        BigEndian = bigEndian;
    }

    /// <summary>'b', 'i', 'u', 'f', 'S' or 'U'.</summary>
    public char Kind { get; }

    /// <summary>Bytes per item (a 'U9' item is 36).</summary>
    public int ItemSize { get; }

    /// <summary>Whether multi-byte items are stored big-endian.</summary>
    public bool BigEndian { get; private set; }

    /// <summary>Whether the items are integers (or bools).</summary>
    public bool IsInteger => Kind is 'b' or 'i' or 'u';

    /// <summary>numpy's name for it: "|u1", "&lt;i8", "&lt;U9".</summary>
    public string Name
    {
        get
        {
            char order = ItemSize == 1 || Kind == 'S' ? '|' : BigEndian ? '>' : '<';
            int size = Kind == 'U' ? ItemSize / 4 : ItemSize;
            return string.Create(CultureInfo.InvariantCulture, $"{order}{Kind}{size}");
        }
    }

    /// <summary>Parses a dtype string: an optional byte order ('&lt;', '&gt;', '|', '='), the kind, the size ("&lt;u1", "i8", "&lt;U9").</summary>
    /// <exception cref="InvalidDataException">Not a dtype this reader supports; the message names <paramref name="where"/>.</exception>
    public static NumpyDType Parse(string text, string where)
    {
        ArgumentNullException.ThrowIfNull(text);
        var body = text.Length > 0 && text[0] is '<' or '>' or '|' or '=' ? text[1..] : text;
        bool bigEndian = text.StartsWith('>');
        if (body.StartsWith('O'))
        {
            throw new InvalidDataException($"{where}: the dtype '{text}' is an array of Python objects; object arrays hold pickles and are never read.");
        }

        if (body.Length < 2 || !int.TryParse(body.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int size))
        {
            throw new InvalidDataException($"{where}: the dtype '{text}' is not a fixed-size numpy type (expected e.g. '<u1', '<i8', '<f4').");
        }

        char kind = body[0];
        bool known = kind switch
        {
            'b' => size == 1,
            'i' or 'u' => size is 1 or 2 or 4 or 8,
            'f' => size is 4 or 8,
            'S' => true,
            'U' => size <= int.MaxValue / 4,
            _ => false,
        };
        if (!known)
        {
            throw new InvalidDataException($"{where}: the dtype '{text}' is not supported; only bool, integer, float32/64 and fixed-width text "
                + $"arrays are read (never object arrays).");
        }

        return new NumpyDType(kind, kind == 'U' ? size * 4 : size, bigEndian);
    }

    /// <summary>Sets the byte order from a pickled dtype's state character ('&lt;', '&gt;', '|' or '=').</summary>
    public void SetByteOrder(string order, string where)
    {
        if (order is not ("<" or ">" or "|" or "="))
        {
            throw new InvalidDataException($"{where}: a pickled dtype has the byte order '{order}'; expected '<', '>', '|' or '='.");
        }

        BigEndian = order == ">";
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
