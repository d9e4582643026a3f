using System.Buffers.Binary;
using System.Text;

namespace MetaLearn.Data.Numpy;

/// <summary>
/// A safe reader of the Python pickles that few-shot image sets are published in (protocols 2 to 5): dicts, lists,
/// tuples, ints, floats, str, bytes, and numpy arrays and dtypes. It interprets the opcodes itself and never imports or
/// runs anything: a pickle that names any callable other than numpy's array reconstruction (see
/// <see cref="PickleGlobal"/>) is refused with an error naming it. <see cref="PickleValue"/> lists the values made.
/// </summary>
/// <remarks>
/// The opcodes are those of CPython's <c>Lib/pickle.py</c> (PEP 307 for protocol 2, PEP 3154 for 4, PEP 574 for 5; out-of-band
/// buffers are refused). Python 2's str is read as bytes, as Python 3 does with <c>encoding='bytes'</c>; dict keys that
/// are bytes are read as Latin-1 text, so <c>data[b'data']</c> and <c>data['data']</c> are the same key.
/// </remarks>
internal sealed class PickleReader
{
    private readonly Stream _stream;
    private readonly string _where;
    private readonly List<object?> _stack = [];
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = [];
    private long _offset;

    private PickleReader(Stream stream, string where)
    {
        _stream = stream;
        _where = where;
    }

    /// <summary>Reads the pickle in the file at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">Not a pickle of the supported values; the message names the file and the byte.</exception>
    public static object? Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(stream, path);
    }

    /// <summary>Reads one pickle from <paramref name="stream"/>; <paramref name="where"/> names it in errors.</summary>
    public static object? Read(Stream stream, string where)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new PickleReader(stream, where).Run();
    }

    private object? Run()
    {
        while (true)
        {
            if (Step((byte)ReadByte(), out var result))
            {
                return result;
            }
        }
    }

    /// <summary>Interprets one opcode; true (with the result) at STOP.</summary>
    private bool Step(byte opcode, out object? result)
    {
        result = null;
        switch (opcode)
        {
            case 0x80: // PROTO
                int protocol = ReadByte();
                if (protocol is < 2 or > 5)
                {
                    throw Bad($"pickle protocol {protocol} is not supported (2 to 5 are)");
                }

                break;
            case 0x95: // FRAME: a length hint
                ReadExact(8);
                break;
            case (byte)'.': // STOP
                result = Pop();
                return true;
            case (byte)'(': _marks.Push(_stack.Count); break; // MARK
            case (byte)'0': Pop(); break; // POP
            case (byte)'1': PopMark(); break; // POP_MARK
            case (byte)'2': Push(Peek()); break; // DUP
            case (byte)'N': Push(null); break;
            case 0x88: Push(true); break;
            case 0x89: Push(false); break;
            case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(ReadExact(4))); break; // BININT
            case (byte)'K': Push((long)ReadByte()); break; // BININT1
            case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(ReadExact(2))); break; // BININT2
            case 0x8A: Push(Long(ReadByte())); break; // LONG1
            case 0x8B: Push(Long(ReadLength(4))); break; // LONG4
            case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(ReadExact(8))); break; // BINFLOAT
            case 0x8C: Push(Utf8(ReadByte())); break; // SHORT_BINUNICODE
            case (byte)'X': Push(Utf8(ReadLength(4))); break; // BINUNICODE
            case 0x8D: Push(Utf8(ReadLength(8))); break; // BINUNICODE8
            case (byte)'U': Push(ReadExact(ReadByte())); break; // SHORT_BINSTRING (Python 2 str)
            case (byte)'T': Push(ReadExact(ReadLength(4))); break; // BINSTRING (Python 2 str)
            case (byte)'C': Push(ReadExact(ReadByte())); break; // SHORT_BINBYTES
            case (byte)'B': Push(ReadExact(ReadLength(4))); break; // BINBYTES
            case 0x8E: Push(ReadExact(ReadLength(8))); break; // BINBYTES8
            case 0x96: Push(ReadExact(ReadLength(8))); break; // BYTEARRAY8
            case (byte)')': Push(Array.Empty<object?>()); break; // EMPTY_TUPLE
            case (byte)'t': Push(PopMark().ToArray()); break; // TUPLE
            case 0x85: Push(new[] { Pop() }); break; // TUPLE1
            case 0x86: Push(PopMany(2)); break; // TUPLE2
            case 0x87: Push(PopMany(3)); break; // TUPLE3
            case (byte)']': Push(new List<object?>()); break; // EMPTY_LIST
            case (byte)'l': Push(PopMark()); break; // LIST
            case (byte)'a': Append([Pop()]); break; // APPEND
            case (byte)'e': Append(PopMark()); break; // APPENDS
            case (byte)'}': Push(new Dictionary<object, object?>()); break; // EMPTY_DICT
            case (byte)'d': // DICT
                var dict = new Dictionary<object, object?>();
                SetItems(dict, PopMark());
                Push(dict);
                break;
            case (byte)'s': // SETITEM
                var pair = PopMany(2);
                SetItems(Peek(), pair);
                break;
            case (byte)'u': // SETITEMS
                var items = PopMark();
                SetItems(Peek(), items);
                break;
            case (byte)'q': _memo[ReadByte()] = Peek(); break; // BINPUT
            case (byte)'r': _memo[ReadLength(4)] = Peek(); break; // LONG_BINPUT
            case 0x94: _memo[_memo.Count] = Peek(); break; // MEMOIZE
            case (byte)'h': Push(Memo(ReadByte())); break; // BINGET
            case (byte)'j': Push(Memo(ReadLength(4))); break; // LONG_BINGET
            case (byte)'c': // GLOBAL "module\nname\n"
                var module = ReadLine();
                Push(PickleGlobal.Resolve(module, ReadLine(), _where));
                break;
            case 0x93: // STACK_GLOBAL
                var name = PickleValue.Text(Pop(), "a global's name", _where);
                Push(PickleGlobal.Resolve(PickleValue.Text(Pop(), "a global's module", _where), name, _where));
                break;
            case (byte)'R': // REDUCE
                var arguments = PickleValue.Tuple(Pop(), "the arguments of a call", _where);
                var callable = Pop() as PickleGlobal ?? throw Bad("REDUCE calls something that is not an allowed global");
                Push(callable.Call(arguments, _where));
                break;
            case (byte)'b': // BUILD
                Build(Pop(), Peek());
                break;
            default:
                throw Bad($"the opcode 0x{opcode:x2} ('{(char)opcode}') is not supported: only protocols 2 to 5 and plain values and numpy "
                    + $"arrays are read (no class instances, sets or out-of-band buffers)");
        }

        return false;
    }

    private void Build(object? state, object? target)
    {
        switch (target)
        {
            case NumpyArray array:
                array.SetState(state, _where);
                break;
            case NumpyDType dtype:
                // numpy's dtype state: (version, byte order, subarray, names, fields, item size, alignment, flags[, metadata]).
                var fields = PickleValue.Tuple(state, "a dtype's state", _where);
                if (fields.Count < 2)
                {
                    throw Bad("a dtype's state has no byte order");
                }

                dtype.SetByteOrder(PickleValue.Text(fields[1], "a dtype's byte order", _where), _where);
                break;
            default:
                throw Bad($"BUILD sets the state of {PickleValue.TypeName(target)}; only numpy arrays and dtypes are built");
        }
    }

    private void SetItems(object? target, IReadOnlyList<object?> items)
    {
        if (target is not Dictionary<object, object?> dict || items.Count % 2 != 0)
        {
            throw Bad($"SETITEM(S) on {PickleValue.TypeName(target)} with {items.Count} values; expected a dict and key-value pairs");
        }

        for (int i = 0; i < items.Count; i += 2)
        {
            object key = items[i] switch
            {
                string or long or bool or double => items[i]!,
                byte[] bytes => Encoding.Latin1.GetString(bytes),
                _ => throw Bad($"a dict key is {PickleValue.TypeName(items[i])}; only str, bytes and numbers are read as keys"),
            };
            dict[key] = items[i + 1];
        }
    }

    private void Append(IReadOnlyList<object?> items)
    {
        if (Peek() is not List<object?> list)
        {
            throw Bad($"APPEND(S) on {PickleValue.TypeName(Peek())}; expected a list");
        }

        list.AddRange(items);
    }

    private long Long(long length)
    {
        if (length > 8)
        {
            throw Bad($"an int of {length} bytes does not fit in 64 bits");
        }

        var bytes = ReadExact(length);
        long value = length > 0 && (bytes[^1] & 0x80) != 0 ? -1 : 0;
        for (int i = bytes.Length - 1; i >= 0; i--)
        {
            value = (value << 8) | bytes[i];
        }

        return value;
    }

    private string Utf8(long length) => Encoding.UTF8.GetString(ReadExact(length));

    private string ReadLine()
    {
        var line = new StringBuilder();
        for (int b = ReadByte(); b != '\n'; b = ReadByte())
        {
            if (line.Length > 256)
            {
                throw Bad("a GLOBAL's name runs past 256 characters");
            }

            line.Append((char)b);
        }

        return line.ToString();
    }

    private object? Memo(long key) => _memo.TryGetValue(key, out var value) ? value : throw Bad($"the memo has no entry {key}");

    private void Push(object? value) => _stack.Add(value);

    private object? Peek() => _stack.Count > 0 && (_marks.Count == 0 || _stack.Count > _marks.Peek()) ? _stack[^1] : throw Bad("the stack is empty");

    private object? Pop()
    {
        var value = Peek();
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private object?[] PopMany(int count)
    {
        var values = new object?[count];
        for (int i = count - 1; i >= 0; i--)
        {
            values[i] = Pop();
        }

        return values;
    }

    private List<object?> PopMark()
    {
        if (_marks.Count == 0)
        {
            throw Bad("an opcode needs a MARK and there is none");
        }

        int mark = _marks.Pop();
        var items = _stack.GetRange(mark, _stack.Count - mark);
        _stack.RemoveRange(mark, _stack.Count - mark);
        return items;
    }

    private long ReadLength(int bytes)
    {
        var raw = ReadExact(bytes);
        return bytes == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(raw) : BinaryPrimitives.ReadInt64LittleEndian(raw);
    }

    private int ReadByte()
    {
        int value = _stream.ReadByte();
        if (value < 0)
        {
            throw Bad("the pickle ends before its STOP opcode; the file is truncated");
        }

        _offset++;
        return value;
    }

    private byte[] ReadExact(long length)
    {
        bool pastEnd = _stream.CanSeek && length > _stream.Length - _stream.Position;
        if (length < 0 || length > Array.MaxLength || pastEnd)
        {
            throw Bad($"a value of {length} bytes runs past the end of the data; the file is truncated or corrupt");
        }

        var bytes = new byte[length];
        try
        {
            _stream.ReadExactly(bytes);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{_where}: a value of {length} bytes runs past the end of the data; the file is truncated.", e);
        }

        _offset += length;
        return bytes;
    }

    private InvalidDataException Bad(string message) => new($"{_where}: {message} (at byte {_offset}).");
}
