using System.Buffers.Binary;
using System.Text;

namespace MetaLearn.Data.Numpy;

/// <summary>
/// A numpy array read from a .npy file or a pickle: its dtype, its shape, and its bytes in C (row-major) order, a
/// Fortran-ordered array being reordered when it is read.
/// </summary>
internal sealed class NumpyArray
{
    private NumpyDType? _dtype;
    private long[] _shape = [];
    private byte[]? _data;

    /// <summary>An array whose contents a pickle's BUILD sets (<see cref="SetState"/>).</summary>
    internal NumpyArray(string where) => Where = where;

    /// <summary>An array of <paramref name="data"/>, stored in Fortran order when <paramref name="fortranOrder"/>.</summary>
    /// <exception cref="InvalidDataException">The data's length is not the shape's count times the item size.</exception>
    public NumpyArray(NumpyDType dtype, IReadOnlyList<long> shape, bool fortranOrder, byte[] data, string where)
        : this(where) => Set(dtype, shape, fortranOrder, data);

    /// <summary>Where the array was read from, for error messages.</summary>
    public string Where { get; }

    /// <summary>The dtype.</summary>
    public NumpyDType DType => _dtype ?? throw Unbuilt();

    /// <summary>The shape.</summary>
    public IReadOnlyList<long> Shape => _data is null ? throw Unbuilt() : _shape;

    /// <summary>The items' bytes in C order.</summary>
    public byte[] Data => _data ?? throw Unbuilt();

    /// <summary>The number of items.</summary>
    public long Length => _shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>"&lt;dtype&gt; [d0, d1, ...]", for messages.</summary>
    public string Describe() => _data is null ? "an array with no contents" : $"{DType} [{string.Join(", ", _shape)}]";

    /// <summary>
    /// Applies a pickled ndarray's state, numpy's <c>ndarray.__setstate__</c> argument: (version, shape, dtype,
    /// is_fortran, raw bytes), or the same without the version.
    /// </summary>
    public void SetState(object? state, string where)
    {
        if (state is not object?[] items || items.Length is not (4 or 5))
        {
            throw new InvalidDataException($"{where}: a pickled ndarray's state is not (version, shape, dtype, is_fortran, data).");
        }

        int first = items.Length - 4;
        var shape = PickleValue.Tuple(items[first], "the ndarray shape", where).Select(d => PickleValue.Integer(d, "an ndarray dimension", where)).ToArray();
        var dtype = items[first + 1] as NumpyDType ?? throw new InvalidDataException($"{where}: a pickled ndarray's dtype is not a numpy.dtype.");
        bool fortran = PickleValue.Boolean(items[first + 2], "is_fortran", where);
        if (items[first + 3] is List<object?>)
        {
            throw new InvalidDataException($"{where}: a pickled ndarray holds Python objects (dtype object); only arrays of numbers or text are read.");
        }

        Set(dtype, shape, fortran, PickleValue.Bytes(items[first + 3], "the ndarray data", where));
    }

    /// <summary>The items as 64-bit integers (a bool, signed or unsigned integer array; an unsigned 64-bit item above long.MaxValue is refused).</summary>
    public long[] ToInt64(string what)
    {
        if (!DType.IsInteger)
        {
            throw new InvalidDataException($"{Where}: {what} is {Describe()}; expected an integer array.");
        }

        var data = Data;
        int size = DType.ItemSize;
        var result = new long[Length];
        for (long i = 0; i < result.LongLength; i++)
        {
            var item = data.AsSpan((int)(i * size), size);
            result[i] = (DType.Kind, size) switch
            {
                ('b' or 'u', 1) => item[0],
                ('i', 1) => (sbyte)item[0],
                ('i', 2) => DType.BigEndian ? BinaryPrimitives.ReadInt16BigEndian(item) : BinaryPrimitives.ReadInt16LittleEndian(item),
                ('u', 2) => DType.BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(item) : BinaryPrimitives.ReadUInt16LittleEndian(item),
                ('i', 4) => DType.BigEndian ? BinaryPrimitives.ReadInt32BigEndian(item) : BinaryPrimitives.ReadInt32LittleEndian(item),
                ('u', 4) => DType.BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(item) : BinaryPrimitives.ReadUInt32LittleEndian(item),
                ('i', 8) => DType.BigEndian ? BinaryPrimitives.ReadInt64BigEndian(item) : BinaryPrimitives.ReadInt64LittleEndian(item),
                _ => checked((long)(DType.BigEndian ? BinaryPrimitives.ReadUInt64BigEndian(item) : BinaryPrimitives.ReadUInt64LittleEndian(item))),
            };
        }

        return result;
    }

    /// <summary>The items of a text array ('U' UTF-32 or 'S' bytes), trailing NULs removed.</summary>
    public string[] ToStrings(string what)
    {
        if (DType.Kind is not ('U' or 'S'))
        {
            throw new InvalidDataException($"{Where}: {what} is {Describe()}; expected a text array.");
        }

        var encoding = DType.Kind == 'S' ? Encoding.Latin1 : DType.BigEndian ? new UTF32Encoding(bigEndian: true, byteOrderMark: false) : Encoding.UTF32;
        int size = DType.ItemSize;
        var result = new string[Length];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = encoding.GetString(Data, i * size, size).TrimEnd('\0');
        }

        return result;
    }

    private void Set(NumpyDType dtype, IReadOnlyList<long> shape, bool fortranOrder, byte[] data)
    {
        long count = 1;
        foreach (var dimension in shape)
        {
            if (dimension < 0)
            {
                throw new InvalidDataException($"{Where}: an array has the negative dimension {dimension}.");
            }

            count = checked(count * dimension);
        }

        if (count * dtype.ItemSize != data.LongLength)
        {
            throw new InvalidDataException($"{Where}: an array {dtype} [{string.Join(", ", shape)}] needs {count * dtype.ItemSize} bytes but holds "
                + $"{data.LongLength}; it is truncated or its shape is wrong.");
        }

        _dtype = dtype;
        _shape = [.. shape];
        _data = fortranOrder && shape.Count > 1 ? ToCOrder(data, _shape, dtype.ItemSize) : data;
    }

    /// <summary>Reorders a Fortran-ordered (first axis fastest) array into C order (last axis fastest).</summary>
    private static byte[] ToCOrder(byte[] data, long[] shape, int itemSize)
    {
        var result = new byte[data.Length];
        var fortranStrides = new long[shape.Length];
        long stride = 1;
        for (int axis = 0; axis < shape.Length; axis++)
        {
            fortranStrides[axis] = stride;
            stride *= shape[axis];
        }

        var index = new long[shape.Length];
        long count = data.LongLength / Math.Max(1, itemSize);
        for (long c = 0; c < count; c++)
        {
            long source = 0;
            for (int axis = 0; axis < shape.Length; axis++)
            {
                source += index[axis] * fortranStrides[axis];
            }

            Array.Copy(data, source * itemSize, result, c * itemSize, itemSize);
            for (int axis = shape.Length - 1; axis >= 0 && ++index[axis] == shape[axis]; axis--)
            {
                index[axis] = 0;
            }
        }

        return result;
    }

    private InvalidDataException Unbuilt() => new($"{Where}: a pickled ndarray was never given its contents (no BUILD after numpy's _reconstruct).");
}
