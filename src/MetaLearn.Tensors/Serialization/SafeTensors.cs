using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MetaLearn.Tensors.Serialization;

/// <summary>
/// Reads and writes the Hugging Face safetensors format: an 8-byte little-endian header length N, N bytes
/// of UTF-8 JSON describing the tensors (plus optional string metadata), then the raw little-endian,
/// row-major tensor data. These methods write <c>F32</c>, <c>F64</c> and <c>I64</c> tensors and load files made of them;
/// <see cref="SafeTensorsReader"/> reads every numeric dtype of the format (F16, BF16, F8, integers, booleans), one tensor
/// at a time and converted on request.
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
/// descending <see cref="SafeTensorsDType"/> (I64, then F64, then F32) and then by name (ordinal over UTF-8 bytes), compact JSON,
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
    /// Atomically writes <paramref name="tensors"/> to <paramref name="path"/> (see <see cref="AtomicFile"/>): the data goes
    /// to a temporary file beside it, is flushed to disk, then renamed over <paramref name="path"/>. If anything fails, any
    /// previous file at <paramref name="path"/> is left untouched; a temporary file left by an interrupted earlier save to
    /// the same path is removed.
    /// </summary>
    /// <param name="path">The destination file.</param>
    /// <param name="tensors">The tensors; names must be unique.</param>
    /// <param name="metadata">Optional free-form string metadata (<c>__metadata__</c>).</param>
    /// <exception cref="ArgumentException">A tensor is null, two tensors share a name, metadata contains a null value or unpaired surrogate, or the
    /// header would exceed <see cref="MaxHeaderLength"/>.</exception>
    /// <exception cref="IOException">The file could not be written; the message names <paramref name="path"/>.</exception>
    public static void Save(string path, IEnumerable<SafeTensorsEntry> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);

        // Validate and lay out everything before touching the file system.
        var (header, ordered) = Prepare(tensors, metadata);
        AtomicFile.Write(path, stream => WritePrepared(stream, header, ordered));
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
    /// <exception cref="SafeTensorsFormatException">The file is malformed or holds a dtype other than F32, F64 and I64; the message names the file.</exception>
    /// <exception cref="IOException">The file could not be opened or read.</exception>
    public static SafeTensorsDocument LoadDocument(string path)
    {
        using var reader = SafeTensorsReader.Open(path);
        return ReadDocument(reader);
    }

    /// <summary>Loads the tensors and metadata from a stream holding a safetensors file from its current position to its end.</summary>
    /// <param name="source">A readable, seekable stream; it is not closed.</param>
    /// <returns>The validated document.</returns>
    /// <exception cref="SafeTensorsFormatException">The data is malformed or holds a dtype other than F32, F64 and I64.</exception>
    /// <exception cref="ArgumentException">The stream is not readable and seekable.</exception>
    public static SafeTensorsDocument LoadDocument(Stream source)
    {
        using var reader = SafeTensorsReader.Open(source);
        return ReadDocument(reader);
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
        using var reader = SafeTensorsReader.Open(path);
        return reader.Metadata;
    }

    private static SafeTensorsDocument ReadDocument(SafeTensorsReader reader)
    {
        var entries = new SafeTensorsEntry[reader.Tensors.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            var info = reader.Tensors[i];
            entries[i] = info.DType switch
            {
                SafeTensorsDType.Float32 => SafeTensorsEntry.CreateValidated(info.Name, info.Shape, reader.ReadFloat32(info.Name)),
                SafeTensorsDType.Float64 => SafeTensorsEntry.CreateValidated(info.Name, info.Shape, reader.ReadFloat64(info.Name)),
                SafeTensorsDType.Int64 => SafeTensorsEntry.CreateValidated(info.Name, info.Shape, reader.ReadInt64(info.Name)),
                _ => throw new SafeTensorsFormatException(
                    $"its dtype {info.DType.ToHeaderString()} is not one a {nameof(SafeTensorsEntry)} holds (F32, F64, I64); read the file with "
                        + $"{nameof(SafeTensorsReader)}, which converts it.",
                    reader.FilePath,
                    info.Name),
            };
        }

        return new SafeTensorsDocument(entries, reader.Metadata);
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

        // The reference writer's order: descending dtype (declared by increasing alignment), then name by bytes.
        named.Sort((a, b) =>
        {
            var byType = b.Entry.DType.CompareTo(a.Entry.DType);
            return byType != 0 ? byType : a.Utf8Name.AsSpan().SequenceCompareTo(b.Utf8Name);
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
            switch (entry.DType)
            {
                case SafeTensorsDType.Float32:
                    WriteValues(stream, entry.Float32Data!);
                    break;
                case SafeTensorsDType.Float64:
                    WriteValues(stream, entry.Float64Data!);
                    break;
                default:
                    WriteValues(stream, entry.Int64Data!);
                    break;
            }
        }
    }

    /// <summary>Writes the values little-endian in 1 MiB chunks: straight from memory on little-endian machines, swapped in a copy otherwise.</summary>
    private static void WriteValues<T>(Stream stream, T[] data)
        where T : unmanaged
    {
        int size = Unsafe.SizeOf<T>();
        int chunkElements = ChunkBytes / size;
        byte[]? buffer = BitConverter.IsLittleEndian ? null : ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            for (var start = 0; start < data.Length; start += chunkElements)
            {
                var bytes = MemoryMarshal.AsBytes(data.AsSpan(start, Math.Min(chunkElements, data.Length - start)));
                if (buffer is not null)
                {
                    bytes.CopyTo(buffer);
                    var swapped = buffer.AsSpan(0, bytes.Length);
                    LittleEndianBytes.SwapIfBigEndian(swapped, size);
                    stream.Write(swapped);
                }
                else
                {
                    stream.Write(bytes);
                }
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
