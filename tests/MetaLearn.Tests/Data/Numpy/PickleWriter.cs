using System.Buffers.Binary;
using System.Text;

namespace MetaLearn.Tests.Data.Numpy;

/// <summary>
/// Writes pickles opcode by opcode as CPython and numpy write them (Lib/pickle.py's save_* methods and numpy's
/// ndarray.__reduce_ex__), so the reader is tested on the byte sequences the real files hold. Values: null, bool,
/// int, long, double, string (str), byte[] (bytes; Python 2's str), List&lt;object?&gt; (list), object?[] (tuple),
/// Dictionary&lt;string, object?&gt; (dict), <see cref="TestArray"/> (ndarray).
/// </summary>
internal sealed class PickleWriter
{
    private readonly List<byte> _out = [];
    private readonly PythonPickle _python;
    private readonly Dictionary<string, int> _globals = new(StringComparer.Ordinal);
    private int _memo;

    private PickleWriter(PythonPickle python) => _python = python;

    private bool Framed => _python >= PythonPickle.Python3Protocol4;

    /// <summary>The pickle of <paramref name="value"/>.</summary>
    public static byte[] Write(object? value, PythonPickle python)
    {
        var writer = new PickleWriter(python);
        writer.Value(value);
        writer.Op('.');
        var body = writer._out.ToArray();
        byte protocol = python switch { PythonPickle.Python3Protocol4 => 4, PythonPickle.Python3Protocol5 => 5, _ => 2 };
        if (!writer.Framed)
        {
            return [0x80, protocol, .. body];
        }

        // One FRAME holding the rest, as pickle.py's framer writes a small pickle.
        var frame = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(frame, body.Length);
        return [0x80, protocol, 0x95, .. frame, .. body];
    }

    private void Value(object? value)
    {
        switch (value)
        {
            case null: Op('N'); break;
            case bool flag: Op(flag ? 0x88 : 0x89); break;
            case int number: Integer(number); break;
            case long number: Integer(number); break;
            case double number:
                Op('G');
                Span<byte> bits = stackalloc byte[8];
                BinaryPrimitives.WriteDoubleBigEndian(bits, number);
                _out.AddRange(bits);
                break;
            case string text: Text(text); break;
            case byte[] bytes: Bytes(bytes); break;
            case TestArray array: Array(array); break;
            case object?[] tuple: Tuple(tuple); break;
            case List<object?> list:
                Op(']');
                Memoize();
                Batch(list.Count, () => list.ForEach(Value), 'a', 'e');
                break;
            case Dictionary<string, object?> dict:
                Op('}');
                Memoize();
                Batch(dict.Count, () =>
                {
                    foreach (var (key, item) in dict)
                    {
                        if (_python == PythonPickle.Python2) { Bytes(Encoding.ASCII.GetBytes(key)); } else { Text(key); }
                        Value(item);
                    }
                }, 's', 'u');
                break;
            default: throw new ArgumentException($"PickleWriter: no pickling for {value.GetType()}.", nameof(value));
        }
    }

    private void Batch(int count, Action items, char one, char many)
    {
        if (count == 1)
        {
            items();
            Op(one);
        }
        else if (count > 1)
        {
            Op('(');
            items();
            Op(many);
        }
    }

    private void Integer(long value)
    {
        if (value is >= 0 and < 256) { Op('K'); _out.Add((byte)value); }
        else if (value is >= 0 and < 65536) { Op('M'); Raw(BitConverter.GetBytes((ushort)value)); }
        else if (value is >= int.MinValue and <= int.MaxValue) { Op('J'); Raw(BitConverter.GetBytes((int)value)); }
        else { Op(0x8A); _out.Add(8); Raw(BitConverter.GetBytes(value)); }
    }

    private void Text(string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        if (_python == PythonPickle.Python2)
        {
            Bytes(utf8);
            return;
        }

        if (Framed && utf8.Length < 256) { Op(0x8C); _out.Add((byte)utf8.Length); }
        else { Op('X'); Raw(BitConverter.GetBytes(utf8.Length)); }
        Raw(utf8);
        Memoize();
    }

    private void Bytes(byte[] bytes)
    {
        switch (_python)
        {
            case PythonPickle.Python2:
                if (bytes.Length < 256) { Op('U'); _out.Add((byte)bytes.Length); } else { Op('T'); Raw(BitConverter.GetBytes(bytes.Length)); }
                Raw(bytes);
                Memoize();
                break;
            case PythonPickle.Python3Protocol2 when bytes.Length == 0:
                // pickle.py's save_bytes below protocol 3 writes b'' as a reduce to bytes().
                Global("__builtin__", "bytes");
                Op(')');
                Op('R');
                Memoize();
                break;
            case PythonPickle.Python3Protocol2:
                // pickle.py's save_bytes below protocol 3: a reduce to _codecs.encode(str(bytes, 'latin1'), 'latin1').
                Global("_codecs", "encode");
                Text(Encoding.Latin1.GetString(bytes));
                Text("latin1");
                Op(0x86);
                Memoize();
                Op('R');
                Memoize();
                break;
            default:
                if (bytes.Length < 256) { Op('C'); _out.Add((byte)bytes.Length); } else { Op('B'); Raw(BitConverter.GetBytes(bytes.Length)); }
                Raw(bytes);
                Memoize();
                break;
        }
    }

    private void Tuple(object?[] tuple)
    {
        if (tuple.Length == 0)
        {
            Op(')');
            return;
        }

        if (tuple.Length > 3) { Op('('); }
        foreach (var item in tuple)
        {
            Value(item);
        }

        Op(tuple.Length switch { 1 => 0x85, 2 => 0x86, 3 => 0x87, _ => 't' });
        Memoize();
    }

    private void Array(TestArray array)
    {
        object?[] shape = [.. array.Shape.Cast<object?>()];
        if (_python == PythonPickle.Python3Protocol5)
        {
            // numpy's __reduce_ex__(5) for a C- or F-contiguous array: _frombuffer(PickleBuffer, dtype, shape, order), in band.
            Global("numpy.core.numeric", "_frombuffer");
            Op('(');
            Op(0x96);
            Raw(BitConverter.GetBytes((long)array.Data.Length));
            Raw(array.Data);
            Memoize();
            DType(array.DType);
            Value(shape);
            Text(array.FortranOrder ? "F" : "C");
            Op('t');
            Memoize();
            Op('R');
            Memoize();
            return;
        }

        // numpy's __reduce__: _reconstruct(ndarray, (0,), b'b') then BUILD (1, shape, dtype, is_fortran, data).
        Global("numpy.core.multiarray", "_reconstruct");
        Global("numpy", "ndarray");
        Value(new object?[] { 0 });
        Bytes("b"u8.ToArray());
        Op(0x87);
        Memoize();
        Op('R');
        Memoize();
        Op('(');
        Value(1);
        Value(shape);
        DType(array.DType);
        Value(array.FortranOrder);
        Bytes(array.Data);
        Op('t');
        Memoize();
        Op('b');
    }

    private void DType(string descr)
    {
        // numpy.dtype('u1', False, True) then BUILD (3, '|', None, None, None, -1, -1, 0).
        Global("numpy", "dtype");
        Text(descr[1..]);
        Value(false);
        Value(true);
        Op(0x87);
        Memoize();
        Op('R');
        Memoize();
        Op('(');
        Value(3);
        Text(descr[..1]);
        Op('N');
        Op('N');
        Op('N');
        Value(-1);
        Value(-1);
        Value(0);
        Op('t');
        Memoize();
        Op('b');
    }

    /// <summary>A global, or a BINGET of it when it was written before (as the pickler's memo does).</summary>
    private void Global(string module, string name)
    {
        var key = $"{module}.{name}";
        if (_globals.TryGetValue(key, out int index))
        {
            if (index < 256) { Op('h'); _out.Add((byte)index); } else { Op('j'); Raw(BitConverter.GetBytes(index)); }
            return;
        }

        if (Framed)
        {
            Text(module);
            Text(name);
            Op(0x93);
        }
        else
        {
            Op('c');
            Raw(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));
        }

        _globals[key] = _memo;
        Memoize();
    }

    private void Memoize()
    {
        if (Framed)
        {
            Op(0x94);
        }
        else if (_memo < 256)
        {
            Op('q');
            _out.Add((byte)_memo);
        }
        else
        {
            Op('r');
            Raw(BitConverter.GetBytes(_memo));
        }

        _memo++;
    }

    private void Op(int opcode) => _out.Add((byte)opcode);

    private void Raw(byte[] bytes) => _out.AddRange(bytes);
}
