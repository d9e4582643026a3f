using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MetaLearn.Tensors.Serialization;

/// <summary>
/// Reads and writes the Hugging Face safetensors format: an 8-byte little-endian header length N, N bytes
/// of UTF-8 JSON describing the tensors (plus optional string metadata), then the raw little-endian,
/// row-major tensor data. Only <c>F32</c> and <c>F64</c> tensors are supported.
/// </summary>
/// <remarks>
/// <para>
/// Loading trusts nothing in the file: the header length, JSON structure, keys, dtypes, shapes and
/// offsets are all validated against the real size of the file before any tensor memory is allocated,
/// and every problem is reported as a <see cref="SafeTensorsFormatException"/>. Policy, following the
/// reference implementation: the header must start with <c>{</c> and may be followed only by JSON
/// whitespace; tensor entries have exactly the keys <c>dtype</c>, <c>shape</c> and <c>data_offsets</c>;
/// the tensors' byte ranges must tile the data buffer exactly (no overlaps, no gaps, no trailing
/// bytes); duplicate keys anywhere are rejected; tensor names must be non-empty.
/// </para>
/// <para>
/// Saving is deterministic and matches the reference writer byte for byte: tensors ordered by
/// descending element size (F64 before F32) and then by name (ordinal over UTF-8 bytes), compact JSON,
/// header padded with spaces to a multiple of 8 bytes. Metadata keys are written sorted (the reference
/// implementation uses hash order); empty metadata is omitted.
/// </para>
/// </remarks>
public static class SafeTensors
{
    /// <summary>The largest header accepted, in bytes (the reference implementation's limit).</summary>
    public const int MaxHeaderLength = 100_000_000;

    /// <summary>Size of the little-endian header length that starts every file.</summary>
    private const int LengthPrefixSize = sizeof(ulong);

    /// <summary>Tensor data is copied in chunks of this many bytes (also keeps span lengths within int).</summary>
    private const int ChunkBytes = 1 << 20;

    /// <summary>
    /// Atomically writes <paramref name="tensors"/> to <paramref name="path"/>: the file is written to a
    /// uniquely named temporary file in the same directory, flushed to disk, then renamed over
    /// <paramref name="path"/>. If anything fails, the temporary file is deleted and any previous file at
    /// <paramref name="path"/> is left untouched.
    /// </summary>
    /// <param name="path">The destination file.</param>
    /// <param name="tensors">The tensors; names must be unique.</param>
    /// <param name="metadata">Optional free-form string metadata (<c>__metadata__</c>).</param>
    /// <exception cref="ArgumentException">A tensor is null, two tensors share a name, metadata contains a null value or unpaired surrogate, or the header would exceed <see cref="MaxHeaderLength"/>.</exception>
    /// <exception cref="IOException">The file could not be written.</exception>
    public static void Save(string path, IEnumerable<SafeTensorsEntry> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);

        // Validate and lay out everything before touching the file system.
        var (header, ordered) = Prepare(tensors, metadata);

        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException("The path has no parent directory.", nameof(path));
        var tempPath = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                WritePrepared(stream, header, ordered);
                stream.Flush(flushToDisk: true);
            }

            File.Move(tempPath, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(tempPath);
            throw;
        }
    }

    /// <summary>
    /// Writes <paramref name="tensors"/> in safetensors format to <paramref name="destination"/> at its
    /// current position. Unlike <see cref="Save(string, IEnumerable{SafeTensorsEntry}, IReadOnlyDictionary{string, string}?)"/>
    /// this is not atomic: a failure while writing leaves a partial file in the stream.
    /// </summary>
    /// <param name="destination">A writable stream; it is not closed.</param>
    /// <param name="tensors">The tensors; names must be unique.</param>
    /// <param name="metadata">Optional free-form string metadata (<c>__metadata__</c>).</param>
    /// <exception cref="ArgumentException">As for the path overload, or the stream is not writable.</exception>
    public static void Save(Stream destination, IEnumerable<SafeTensorsEntry> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(tensors);
        if (!destination.CanWrite)
        {
            throw new ArgumentException("The stream is not writable.", nameof(destination));
        }

        var (header, ordered) = Prepare(tensors, metadata);
        WritePrepared(destination, header, ordered);
    }

    /// <summary>Loads every tensor of a safetensors file.</summary>
    /// <param name="path">The file to read.</param>
    /// <returns>The tensors, in the order their data appears in the file.</returns>
    /// <exception cref="SafeTensorsFormatException">The file is malformed or uses an unsupported dtype; the message names the file.</exception>
    /// <exception cref="IOException">The file could not be opened or read.</exception>
    public static IReadOnlyList<SafeTensorsEntry> Load(string path) => LoadDocument(path).Tensors;

    /// <summary>Loads every tensor from a stream holding a safetensors file from its current position to its end.</summary>
    /// <param name="source">A readable, seekable stream; it is not closed.</param>
    /// <returns>The tensors, in the order their data appears in the stream.</returns>
    /// <exception cref="SafeTensorsFormatException">The data is malformed or uses an unsupported dtype.</exception>
    /// <exception cref="ArgumentException">The stream is not readable and seekable.</exception>
    public static IReadOnlyList<SafeTensorsEntry> Load(Stream source) => LoadDocument(source).Tensors;

    /// <summary>Loads the tensors and metadata of a safetensors file.</summary>
    /// <param name="path">The file to read.</param>
    /// <returns>The validated document.</returns>
    /// <exception cref="SafeTensorsFormatException">The file is malformed or uses an unsupported dtype; the message names the file.</exception>
    /// <exception cref="IOException">The file could not be opened or read.</exception>
    public static SafeTensorsDocument LoadDocument(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = OpenRead(path);
        return ReadDocument(stream, path);
    }

    /// <summary>Loads the tensors and metadata from a stream holding a safetensors file from its current position to its end.</summary>
    /// <param name="source">A readable, seekable stream; it is not closed.</param>
    /// <returns>The validated document.</returns>
    /// <exception cref="SafeTensorsFormatException">The data is malformed or uses an unsupported dtype.</exception>
    /// <exception cref="ArgumentException">The stream is not readable and seekable.</exception>
    public static SafeTensorsDocument LoadDocument(Stream source)
    {
        CheckReadable(source);
        return ReadDocument(source, null);
    }

    /// <summary>
    /// Reads only the <c>__metadata__</c> map of a safetensors file, without loading tensor data. The
    /// whole header is still validated against the file size.
    /// </summary>
    /// <param name="path">The file to read.</param>
    /// <returns>The metadata; empty if the file has none.</returns>
    /// <exception cref="SafeTensorsFormatException">The header is malformed; the message names the file.</exception>
    /// <exception cref="IOException">The file could not be opened or read.</exception>
    public static IReadOnlyDictionary<string, string> ReadMetadata(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = OpenRead(path);
        return Guard(path, () => ReadHeader(stream, path)).Metadata;
    }

    private static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);

    private static void CheckReadable(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!source.CanRead || !source.CanSeek)
        {
            throw new ArgumentException("The stream must be readable and seekable (its length bounds what the header may claim).", nameof(source));
        }
    }

    private static SafeTensorsDocument ReadDocument(Stream stream, string? filePath) => Guard(filePath, () =>
    {
        var header = ReadHeader(stream, filePath);

        // The header has been validated: the tensors tile the rest of the stream exactly, so every
        // allocation below is backed by bytes that really exist, and they can be read in order.
        var entries = new SafeTensorsEntry[header.Tensors.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            var info = header.Tensors[i];
            entries[i] = info.DType == DType.Float32
                ? SafeTensorsEntry.CreateValidated(info.Name, info.Shape, ReadValues<float>(stream, info.ElementCount), null)
                : SafeTensorsEntry.CreateValidated(info.Name, info.Shape, null, ReadValues<double>(stream, info.ElementCount));
        }

        return new SafeTensorsDocument(entries, header.Metadata);
    });

    /// <summary>Reads and validates the length prefix and header, leaving the stream at the start of the data.</summary>
    private static SafeTensorsHeader ReadHeader(Stream stream, string? filePath)
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
        if (headerLength > MaxHeaderLength)
        {
            throw new SafeTensorsFormatException(
                $"the header length {headerLength} exceeds the limit of {MaxHeaderLength} bytes.", filePath, null);
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

    /// <summary>
    /// Runs a read, reporting a stream that ends earlier than its length promised (a file truncated
    /// while being read) as a format error rather than a bare <see cref="EndOfStreamException"/>.
    /// </summary>
    private static T Guard<T>(string? filePath, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (EndOfStreamException ex)
        {
            throw new SafeTensorsFormatException("the data ended unexpectedly (was the file modified while being read?).", filePath, null, ex);
        }
    }

    /// <summary>Reads <paramref name="count"/> little-endian values in 1 MiB chunks, swapping bytes on big-endian machines.</summary>
    private static T[] ReadValues<T>(Stream stream, int count)
        where T : unmanaged
    {
        var data = new T[count];
        int chunkElements = ChunkBytes / Unsafe.SizeOf<T>();
        for (var start = 0; start < count; start += chunkElements)
        {
            var chunk = data.AsSpan(start, Math.Min(chunkElements, count - start));
            stream.ReadExactly(MemoryMarshal.AsBytes(chunk));
            if (!BitConverter.IsLittleEndian)
            {
                if (Unsafe.SizeOf<T>() == sizeof(int))
                {
                    var bits = MemoryMarshal.Cast<T, int>(chunk);
                    BinaryPrimitives.ReverseEndianness(bits, bits);
                }
                else
                {
                    var bits = MemoryMarshal.Cast<T, long>(chunk);
                    BinaryPrimitives.ReverseEndianness(bits, bits);
                }
            }
        }

        return data;
    }

    /// <summary>Validates the arguments and computes the header and the order in which tensor data follows it.</summary>
    private static (byte[] Header, List<SafeTensorsEntry> Ordered) Prepare(
        IEnumerable<SafeTensorsEntry> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var named = new List<(byte[] Utf8Name, SafeTensorsEntry Entry)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in tensors)
        {
            if (entry is null)
            {
                throw new ArgumentException("The tensor collection contains a null entry.", nameof(tensors));
            }

            if (SafeTensorsEntry.NameProblem(entry.Name) is { } problem)
            {
                throw new ArgumentException($"Invalid tensor name: {problem}.", nameof(tensors));
            }

            if (!names.Add(entry.Name))
            {
                throw new ArgumentException($"Duplicate tensor name {SafeTensorsText.Quote(entry.Name)}.", nameof(tensors));
            }

            named.Add((SafeTensorsHeaderWriter.EncodeUtf8(entry.Name), entry));
        }

        // The reference writer's order: descending alignment (element size), then name by bytes.
        named.Sort((a, b) =>
        {
            var bySize = SafeTensorsDTypes.ElementSize(b.Entry.DType).CompareTo(SafeTensorsDTypes.ElementSize(a.Entry.DType));
            return bySize != 0 ? bySize : a.Utf8Name.AsSpan().SequenceCompareTo(b.Utf8Name);
        });

        var pairs = new List<(byte[] Utf8Key, KeyValuePair<string, string> Pair)>();
        if (metadata is not null)
        {
            foreach (var pair in metadata)
            {
                if (pair.Key is null || pair.Value is null)
                {
                    throw new ArgumentException($"Metadata key {SafeTensorsText.Quote(pair.Key ?? "")} has a null value.", nameof(metadata));
                }

                if (!SafeTensorsText.IsWellFormedUtf16(pair.Key) || !SafeTensorsText.IsWellFormedUtf16(pair.Value))
                {
                    throw new ArgumentException(
                        $"Metadata entry {SafeTensorsText.Quote(pair.Key)} contains an unpaired surrogate and cannot be encoded as UTF-8.", nameof(metadata));
                }

                pairs.Add((SafeTensorsHeaderWriter.EncodeUtf8(pair.Key), pair));
            }

            pairs.Sort((a, b) => a.Utf8Key.AsSpan().SequenceCompareTo(b.Utf8Key));
        }

        var header = SafeTensorsHeaderWriter.Build(named, pairs.ConvertAll(p => p.Pair));
        if (header.Length > MaxHeaderLength)
        {
            throw new ArgumentException($"The header would be {header.Length} bytes, more than the format's limit of {MaxHeaderLength}.");
        }

        return (header, named.ConvertAll(n => n.Entry));
    }

    private static void WritePrepared(Stream stream, byte[] header, List<SafeTensorsEntry> ordered)
    {
        Span<byte> prefix = stackalloc byte[LengthPrefixSize];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        stream.Write(prefix);
        stream.Write(header);
        foreach (var entry in ordered)
        {
            if (entry.Float32Data is { } floats)
            {
                WriteValues(stream, floats);
            }
            else
            {
                WriteValues(stream, entry.Float64Data!);
            }
        }
    }

    /// <summary>Writes the values little-endian in 1 MiB chunks: straight from memory on little-endian machines, converted otherwise.</summary>
    private static void WriteValues<T>(Stream stream, T[] data)
        where T : unmanaged
    {
        int size = Unsafe.SizeOf<T>();
        int chunkElements = ChunkBytes / size;
        if (BitConverter.IsLittleEndian)
        {
            for (var start = 0; start < data.Length; start += chunkElements)
            {
                stream.Write(MemoryMarshal.AsBytes(data.AsSpan(start, Math.Min(chunkElements, data.Length - start))));
            }

            return;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            for (var start = 0; start < data.Length; start += chunkElements)
            {
                var n = Math.Min(chunkElements, data.Length - start);
                for (var i = 0; i < n; i++)
                {
                    var target = buffer.AsSpan(i * size);
                    if (typeof(T) == typeof(float))
                    {
                        BinaryPrimitives.WriteSingleLittleEndian(target, (float)(object)data[start + i]);
                    }
                    else
                    {
                        BinaryPrimitives.WriteDoubleLittleEndian(target, (double)(object)data[start + i]);
                    }
                }

                stream.Write(buffer, 0, n * size);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the original exception is the one worth reporting.
        }
        catch (UnauthorizedAccessException)
        {
            // Likewise.
        }
    }
}
