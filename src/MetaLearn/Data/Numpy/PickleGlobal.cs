using System.Buffers.Binary;
using System.Text;

namespace MetaLearn.Data.Numpy;

/// <summary>
/// One of the few Python callables a pickle of numpy arrays names, and what calling it makes. Nothing is looked up or
/// run: each allowed name is implemented here, and every other name is refused when the pickle names it.
/// </summary>
/// <param name="Module">The module, e.g. "numpy.core.multiarray".</param>
/// <param name="Name">The callable, e.g. "_reconstruct".</param>
internal sealed record PickleGlobal(string Module, string Name)
{
    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal)
    {
        "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct",
        "numpy.core.multiarray.scalar", "numpy._core.multiarray.scalar",
        "numpy.core.numeric._frombuffer", "numpy._core.numeric._frombuffer",
        "numpy.ndarray", "numpy.dtype", "_codecs.encode", "__builtin__.bytes", "builtins.bytes", "__builtin__.bytearray", "builtins.bytearray",
    };

    private string FullName => $"{Module}.{Name}";

    /// <summary>The global <paramref name="module"/>.<paramref name="name"/>, if it is one a numpy pickle may name.</summary>
    /// <exception cref="InvalidDataException">Any other global: it is refused, never imported.</exception>
    public static PickleGlobal Resolve(string module, string name, string where)
    {
        var global = new PickleGlobal(module, name);
        return Allowed.Contains(global.FullName) ? global
            : throw new InvalidDataException($"{where}: the pickle names the global '{global.FullName}', which is refused; only numpy arrays, "
                + $"dtypes and plain Python values (dict, list, tuple, str, bytes, int, float) are read.");
    }

    /// <summary>What calling this global with <paramref name="arguments"/> (a pickle's REDUCE) gives.</summary>
    public object? Call(IReadOnlyList<object?> arguments, string where)
    {
        switch (Name)
        {
            case "_reconstruct":
                // numpy's ndarray.__reduce__: _reconstruct(ndarray, (0,), b'b'), then BUILD with the array's state.
                Expect(arguments.Count == 3 && arguments[0] is PickleGlobal { Name: "ndarray" }, "(numpy.ndarray, shape, typecode)", arguments, where);
                return new NumpyArray(where);
            case "dtype":
                Expect(arguments.Count is >= 1 and <= 3, "(type string, align, copy)", arguments, where);
                return NumpyDType.Parse(PickleValue.Text(arguments[0], "a dtype's type", where), where);
            case "scalar":
                Expect(arguments.Count == 2 && arguments[0] is NumpyDType, "(dtype, bytes)", arguments, where);
                return Scalar((NumpyDType)arguments[0]!, PickleValue.Bytes(arguments[1], "a numpy scalar's bytes", where), where);
            case "_frombuffer":
                // Protocol 5's in-band form of an array: _frombuffer(buffer, dtype, shape, order).
                Expect(arguments.Count == 4 && arguments[1] is NumpyDType, "(buffer, dtype, shape, order)", arguments, where);
                var shape = PickleValue.Tuple(arguments[2], "the array shape", where).Select(d => PickleValue.Integer(d, "a dimension", where)).ToArray();
                bool fortran = PickleValue.Text(arguments[3], "the array order", where) == "F";
                return new NumpyArray((NumpyDType)arguments[1]!, shape, fortran, PickleValue.Bytes(arguments[0], "the array buffer", where), where);
            case "encode":
                // Python 3 writes bytes at protocol 2 as _codecs.encode(text, 'latin1').
                Expect(arguments.Count == 2 && arguments[1] is string codec && codec is "latin1" or "latin-1", "(str, 'latin1')", arguments, where);
                return PickleValue.Bytes(arguments[0], "an encoded str", where);
            default:
                // bytes() or bytearray(): empty, or from a bytes argument.
                Expect(arguments.Count <= 1, "() or (bytes)", arguments, where);
                return arguments.Count == 0 ? Array.Empty<byte>() : PickleValue.Bytes(arguments[0], $"the argument of {FullName}", where);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => FullName;

    private static object Scalar(NumpyDType dtype, byte[] bytes, string where)
    {
        if (bytes.Length != dtype.ItemSize)
        {
            throw new InvalidDataException($"{where}: a numpy {dtype} scalar has {bytes.Length} bytes.");
        }

        if (dtype.Kind == 'f')
        {
            return dtype.ItemSize == 4
                ? (double)(dtype.BigEndian ? BinaryPrimitives.ReadSingleBigEndian(bytes) : BinaryPrimitives.ReadSingleLittleEndian(bytes))
                : dtype.BigEndian ? BinaryPrimitives.ReadDoubleBigEndian(bytes) : BinaryPrimitives.ReadDoubleLittleEndian(bytes);
        }

        if (dtype.Kind is 'U' or 'S')
        {
            return new NumpyArray(dtype, [], false, bytes, where).ToStrings("a numpy scalar")[0];
        }

        long value = new NumpyArray(dtype, [], false, bytes, where).ToInt64("a numpy scalar")[0];
        return dtype.Kind == 'b' ? value != 0 : value;
    }

    private void Expect(bool ok, string signature, IReadOnlyList<object?> arguments, string where)
    {
        if (!ok)
        {
            var given = new StringBuilder();
            given.AppendJoin(", ", arguments.Select(PickleValue.TypeName));
            throw new InvalidDataException($"{where}: {FullName} is called with ({given}); expected {signature}.");
        }
    }
}
