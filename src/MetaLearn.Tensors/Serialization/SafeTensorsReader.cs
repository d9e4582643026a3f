using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;

namespace MetaLearn.Tensors.Serialization;

/// <summary>
/// Reads a safetensors file one tensor at a time. Opening parses and validates the header only (every declared byte
/// range is checked against the file's real length), so a caller can look at the names, dtypes and shapes and then read
/// just the tensors it needs, as raw bytes or converted to float, double or long. A tensor that is not read costs nothing.
/// </summary>
/// <remarks>
/// <para>
/// Every size is checked before anything is allocated: the header against the file, a tensor's element count against
/// the largest .NET array when it is read, and the total read against <see cref="SafeTensorsReadOptions.MaxTotalBytes"/>.
/// </para>
/// <para>Not thread-safe: read one tensor at a time. Dispose the reader to close the file.</para>
/// </remarks>
public sealed class SafeTensorsReader : IDisposable
{
    /// <summary>Size of the little-endian header length that starts every file.</summary>
    private const int LengthPrefixSize = sizeof(ulong);

    /// <summary>Tensor data is read in chunks of this many bytes (a multiple of every element size).</summary>
    private const int ChunkBytes = 1 << 20;

    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly long _dataStart;
    private readonly long? _maxTotalBytes;
    private readonly Dictionary<string, SafeTensorsTensorInfo> _byName;
    private bool _disposed;

    private SafeTensorsReader(Stream stream, bool ownsStream, string? filePath, SafeTensorsHeader header, long? maxTotalBytes)
    {
        _stream = stream;
        _ownsStream = ownsStream;
        _dataStart = stream.Position;
        _maxTotalBytes = maxTotalBytes;
        FilePath = filePath;
        Tensors = header.Tensors;
        Metadata = header.Metadata;
        _byName = header.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>Decodes one chunk of whole elements, the first of which is element <paramref name="firstElement"/> of the tensor.</summary>
    private delegate void ChunkDecoder(ReadOnlySpan<byte> chunk, int firstElement);

    /// <summary>The path of the file, or <see langword="null"/> when reading from a stream.</summary>
    public string? FilePath { get; }

    /// <summary>Every tensor the header declares, in the order their data appears in the file.</summary>
    public IReadOnlyList<SafeTensorsTensorInfo> Tensors { get; }

    /// <summary>The <c>__metadata__</c> map; empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The tensor bytes read so far (counted against <see cref="SafeTensorsReadOptions.MaxTotalBytes"/>).</summary>
    public long BytesRead { get; private set; }

    /// <summary>Opens <paramref name="path"/> and validates its header; no tensor data is read.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="options">Limits; none by default.</param>
    /// <returns>The reader, which keeps the file open until disposed.</returns>
    /// <exception cref="SafeTensorsFormatException">The header is malformed or inconsistent with the file's size; the message names the file.</exception>
    /// <exception cref="IOException">The file could not be opened or read.</exception>
    public static SafeTensorsReader Open(string path, SafeTensorsReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.RandomAccess);
        try
        {
            return Create(stream, ownsStream: true, path, options);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads and validates the header of the safetensors data in <paramref name="source"/>, from its current position to its end.</summary>
    /// <param name="source">A readable, seekable stream; the reader does not close it.</param>
    /// <param name="options">Limits; none by default.</param>
    /// <returns>The reader.</returns>
    /// <exception cref="SafeTensorsFormatException">The header is malformed or inconsistent with the stream's length.</exception>
    /// <exception cref="ArgumentException">The stream is not readable and seekable.</exception>
    public static SafeTensorsReader Open(Stream source, SafeTensorsReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!source.CanRead || !source.CanSeek)
        {
            throw new ArgumentException("The stream must be readable and seekable (its length bounds what the header may claim).", nameof(source));
        }

        return Create(source, ownsStream: false, null, options);
    }

    /// <summary>Looks up a tensor's header entry by name (ordinal comparison).</summary>
    /// <param name="name">The tensor name.</param>
    /// <returns>The entry, or <see langword="null"/> if the file has no tensor of that name.</returns>
    public SafeTensorsTensorInfo? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.GetValueOrDefault(name);
    }

    /// <summary>
    /// Reads a tensor of any dtype as float: exact for F32 and for the narrower floats (F16, BF16, F8), rounded to nearest
    /// for F64 and for integers beyond 2^24; booleans read as 0 and 1.
    /// </summary>
    /// <param name="name">The tensor's name.</param>
    /// <returns>The elements in row-major order.</returns>
    /// <exception cref="ArgumentException">The file has no tensor of that name.</exception>
    /// <exception cref="SafeTensorsFormatException">The tensor is too large for one array, passes the byte cap, or the file ended early.</exception>
    public float[] ReadFloat32(string name) => ReadFloatingPoint<float>(Get(name), SafeTensorsDType.Float32);

    /// <summary>Reads a tensor of any dtype as double: exact for every float type and for integers up to 2^53; booleans read as 0 and 1.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <returns>The elements in row-major order.</returns>
    /// <exception cref="ArgumentException">The file has no tensor of that name.</exception>
    /// <exception cref="SafeTensorsFormatException">The tensor is too large for one array, passes the byte cap, or the file ended early.</exception>
    public double[] ReadFloat64(string name) => ReadFloatingPoint<double>(Get(name), SafeTensorsDType.Float64);

    /// <summary>Reads an integer or boolean tensor (booleans as 0 and 1) as long.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <returns>The elements in row-major order.</returns>
    /// <exception cref="ArgumentException">The file has no tensor of that name, or it holds floating-point values.</exception>
    /// <exception cref="OverflowException">A U64 value exceeds <see cref="long.MaxValue"/>.</exception>
    /// <exception cref="SafeTensorsFormatException">The tensor is too large for one array, passes the byte cap, or the file ended early.</exception>
    public long[] ReadInt64(string name)
    {
        var info = Get(name);
        if (!info.DType.IsInteger())
        {
            throw new ArgumentException(
                $"Tensor {SafeTensorsText.Quote(name)}{InFile()} holds {info.DType.ToHeaderString()} values; {nameof(ReadInt64)} reads integer "
                    + $"and boolean tensors (use {nameof(ReadFloat32)} or {nameof(ReadFloat64)}).",
                nameof(name));
        }

        var result = new long[Reserve(info, info.ElementCount)];
        if (info.DType == SafeTensorsDType.Int64)
        {
            ReadDirect(info, MemoryMarshal.AsBytes(result.AsSpan()), sizeof(long));
            return result;
        }

        var overflowAt = -1L;
        ReadChunks(info, (chunk, first) =>
        {
            var index = SafeTensorsDecoder.ToInt64(chunk, info.DType, result.AsSpan(first));
            if (index >= 0 && overflowAt < 0)
            {
                overflowAt = first + index;
            }
        });
        if (overflowAt >= 0)
        {
            throw new OverflowException(string.Create(
                CultureInfo.InvariantCulture,
                $"Tensor {SafeTensorsText.Quote(name)}{InFile()}: U64 element {overflowAt} exceeds Int64's range; read it with {nameof(ReadBytes)}."));
        }

        return result;
    }

    /// <summary>Reads a tensor's bytes exactly as stored: little-endian elements of its dtype, row-major.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <returns>The bytes (<see cref="SafeTensorsTensorInfo.ByteLength"/> of them).</returns>
    /// <exception cref="ArgumentException">The file has no tensor of that name.</exception>
    /// <exception cref="SafeTensorsFormatException">The tensor is too large for one array, passes the byte cap, or the file ended early.</exception>
    public byte[] ReadBytes(string name)
    {
        var info = Get(name);
        var result = new byte[Reserve(info, info.ByteLength)];
        ReadDirect(info, result, elementSize: 1);
        return result;
    }

    /// <summary>Closes the file (a stream passed to <see cref="Open(Stream, SafeTensorsReadOptions?)"/> is left open).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_ownsStream)
        {
            _stream.Dispose();
        }
    }

    private static SafeTensorsReader Create(Stream stream, bool ownsStream, string? filePath, SafeTensorsReadOptions? options)
    {
        var header = ReadHeader(stream, filePath);
        return new SafeTensorsReader(stream, ownsStream, filePath, header, options?.MaxTotalBytes);
    }

    /// <summary>Reads and validates the length prefix and header, leaving the stream at the start of the data.</summary>
    private static SafeTensorsHeader ReadHeader(Stream stream, string? filePath)
    {
        try
        {
            var available = stream.Length - stream.Position;
            if (available < LengthPrefixSize)
            {
                throw new SafeTensorsFormatException(
                    $"it is {Math.Max(available, 0)} bytes long, shorter than the {LengthPrefixSize}-byte header length.", filePath, null);
            }

            Span<byte> prefix = stackalloc byte[LengthPrefixSize];
            stream.ReadExactly(prefix);
            var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
            var remaining = available - LengthPrefixSize;
            if (headerLength > SafeTensors.MaxHeaderLength)
            {
                throw new SafeTensorsFormatException(
                    $"the header length {headerLength} exceeds the limit of {SafeTensors.MaxHeaderLength} bytes.", filePath, null);
            }

            if (headerLength > (ulong)remaining)
            {
                throw new SafeTensorsFormatException(
                    $"the header length {headerLength} exceeds the {remaining} bytes that follow it.", filePath, null);
            }

            var header = new byte[(int)headerLength];
            stream.ReadExactly(header);
            return SafeTensorsHeaderParser.Parse(header, remaining - (long)headerLength, filePath);
        }
        catch (EndOfStreamException ex)
        {
            throw new SafeTensorsFormatException("the data ended unexpectedly (was the file modified while being read?).", filePath, null, ex);
        }
    }

    private SafeTensorsTensorInfo Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _byName.TryGetValue(name, out var info)
            ? info
            : throw new ArgumentException($"There is no tensor {SafeTensorsText.Quote(name)}{InFile()}.", nameof(name));
    }

    private T[] ReadFloatingPoint<T>(SafeTensorsTensorInfo info, SafeTensorsDType sameType)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var result = new T[Reserve(info, info.ElementCount)];
        if (info.DType == sameType)
        {
            ReadDirect(info, MemoryMarshal.AsBytes(result.AsSpan()), SafeTensorsDTypes.ElementSize(sameType));
        }
        else
        {
            ReadChunks(info, (chunk, first) => SafeTensorsDecoder.ToFloatingPoint(chunk, info.DType, result.AsSpan(first)));
        }

        return result;
    }

    /// <summary>
    /// Checks, before anything is allocated, that <paramref name="length"/> items fit one array and that the tensor's
    /// bytes stay within the cap; then counts them as read.
    /// </summary>
    private int Reserve(SafeTensorsTensorInfo info, long length)
    {
        if (length > Array.MaxLength)
        {
            throw new SafeTensorsFormatException(
                string.Create(CultureInfo.InvariantCulture, $"its {length} items exceed the largest array .NET supports ({Array.MaxLength})."),
                    FilePath, info.Name);
        }

        if (_maxTotalBytes is { } cap && info.ByteLength > cap - BytesRead)
        {
            throw new SafeTensorsFormatException(
                string.Create(CultureInfo.InvariantCulture,
                    $"reading its {info.ByteLength} bytes after {BytesRead} already read would pass the cap of {cap} bytes "
                        + $"({nameof(SafeTensorsReadOptions)}.{nameof(SafeTensorsReadOptions.MaxTotalBytes)})."),
                FilePath,
                info.Name);
        }

        BytesRead += info.ByteLength;
        return (int)length;
    }

    /// <summary>
    /// Reads the tensor's bytes straight into <paramref name="destination"/>, swapping each <paramref name="elementSize"/>-byte
    /// element to the machine's byte order (1: raw bytes, no swap).
    /// </summary>
    private void ReadDirect(SafeTensorsTensorInfo info, Span<byte> destination, int elementSize)
    {
        _stream.Position = _dataStart + info.DataBegin;
        for (var start = 0; start < destination.Length; start += ChunkBytes)
        {
            var chunk = destination.Slice(start, Math.Min(ChunkBytes, destination.Length - start));
            ReadExactly(info, chunk);
            LittleEndianBytes.SwapIfBigEndian(chunk, elementSize);
        }
    }

    /// <summary>Reads the tensor's bytes in chunks of whole elements through a pooled buffer, handing each to <paramref name="decode"/>.</summary>
    private void ReadChunks(SafeTensorsTensorInfo info, ChunkDecoder decode)
    {
        var size = SafeTensorsDTypes.ElementSize(info.DType);
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(ChunkBytes, info.ByteLength));
        try
        {
            _stream.Position = _dataStart + info.DataBegin;
            for (long start = 0; start < info.ByteLength; start += ChunkBytes)
            {
                var chunk = buffer.AsSpan(0, (int)Math.Min(ChunkBytes, info.ByteLength - start));
                ReadExactly(info, chunk);
                decode(chunk, (int)(start / size));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void ReadExactly(SafeTensorsTensorInfo info, Span<byte> destination)
    {
        try
        {
            _stream.ReadExactly(destination);
        }
        catch (EndOfStreamException ex)
        {
            throw new SafeTensorsFormatException("the data ended unexpectedly (was the file modified while being read?).", FilePath, info.Name, ex);
        }
    }

    private string InFile() => FilePath is null ? "" : $" in '{FilePath}'";
}
