using System.Text;

namespace MetaLearn.Data.Numpy;

/// <summary>
/// Reads the values <see cref="PickleReader"/> makes as the types a loader expects, with a clear error when one is
/// something else. Python values are: None → null, bool, int → long, float → double, str → string, bytes (and
/// Python 2's str) → byte[], list → List&lt;object?&gt;, tuple → object?[], dict → Dictionary&lt;object, object?&gt;,
/// and numpy arrays → <see cref="NumpyArray"/>.
/// </summary>
internal static class PickleValue
{
    /// <summary>A Python type name for messages.</summary>
    public static string TypeName(object? value) => value switch
    {
        null => "None",
        bool => "bool",
        long => "int",
        double => "float",
        string => "str",
        byte[] => "bytes",
        List<object?> => "list",
        object?[] => "tuple",
        Dictionary<object, object?> => "dict",
        NumpyArray array => $"ndarray {array.Describe()}",
        NumpyDType => "numpy.dtype",
        _ => value.GetType().Name,
    };

    /// <summary>A str, or a Python 2 str / bytes read as Latin-1 (how Python 3 loads them with encoding='latin1').</summary>
    public static string Text(object? value, string what, string where) => value switch
    {
        string text => text,
        byte[] bytes => Encoding.Latin1.GetString(bytes),
        _ => throw Wrong(value, what, "a str", where),
    };

    /// <summary>Bytes, or a str of code points below 256 as Latin-1 (numpy's own reading of text where it needs bytes).</summary>
    public static byte[] Bytes(object? value, string what, string where) => value switch
    {
        byte[] bytes => bytes,
        string text when text.All(c => c < 256) => Encoding.Latin1.GetBytes(text),
        _ => throw Wrong(value, what, "bytes", where),
    };

    /// <summary>An int (a bool counts as 0 or 1, as in Python).</summary>
    public static long Integer(object? value, string what, string where) => value switch
    {
        long number => number,
        bool flag => flag ? 1 : 0,
        _ => throw Wrong(value, what, "an int", where),
    };

    /// <summary>A bool (an int counts as false when 0).</summary>
    public static bool Boolean(object? value, string what, string where) => value switch
    {
        bool flag => flag,
        long number => number != 0,
        _ => throw Wrong(value, what, "a bool", where),
    };

    /// <summary>The items of a tuple or a list.</summary>
    public static IReadOnlyList<object?> Tuple(object? value, string what, string where) => value switch
    {
        object?[] tuple => tuple,
        List<object?> list => list,
        _ => throw Wrong(value, what, "a tuple", where),
    };

    /// <summary>A dict.</summary>
    public static Dictionary<object, object?> Dict(object? value, string what, string where)
        => value as Dictionary<object, object?> ?? throw Wrong(value, what, "a dict", where);

    /// <summary>The value of the str key <paramref name="key"/> of <paramref name="dict"/>, or an error listing the keys it has.</summary>
    public static object? Item(Dictionary<object, object?> dict, string key, string where)
        => dict.TryGetValue(key, out var value) ? value
            : throw new InvalidDataException($"{where}: the dict has no key '{key}'; its keys are {string.Join(", ", dict.Keys.Select(k => $"'{k}'"))}.");

    /// <summary>A list, tuple or one-dimensional integer array as 64-bit integers.</summary>
    public static long[] Integers(object? value, string what, string where) => value switch
    {
        NumpyArray array when array.Shape.Count == 1 => array.ToInt64(what),
        object?[] or List<object?> => [.. Tuple(value, what, where).Select(item => Integer(item, $"an item of {what}", where))],
        _ => throw Wrong(value, what, "a list of ints or a 1-d integer array", where),
    };

    /// <summary>A list or tuple of str, or a one-dimensional text array.</summary>
    public static string[] Texts(object? value, string what, string where) => value switch
    {
        NumpyArray array when array.Shape.Count == 1 => array.ToStrings(what),
        object?[] or List<object?> => [.. Tuple(value, what, where).Select(item => Text(item, $"an item of {what}", where))],
        _ => throw Wrong(value, what, "a list of str or a 1-d text array", where),
    };

    private static InvalidDataException Wrong(object? value, string what, string expected, string where)
        => new($"{where}: {what} is {TypeName(value)}; expected {expected}.");
}
