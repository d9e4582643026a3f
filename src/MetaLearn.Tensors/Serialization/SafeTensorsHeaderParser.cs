using System.Collections.Immutable;
using System.Collections.ObjectModel;
using System.Text.Json;
using System.Text.Unicode;

namespace MetaLearn.Tensors.Serialization;

/// <summary>
/// Parses and validates the JSON header of a safetensors file. Everything the header claims is checked
/// against the actual size of the data buffer before any caller allocates memory on its word.
/// </summary>
internal static class SafeTensorsHeaderParser
{
    /// <summary>
    /// Deepest JSON nesting a valid header has (root object, tensor object, shape array), plus slack so
    /// that over-nesting is reported by our structural checks rather than the reader's depth limit.
    /// </summary>
    private const int MaxJsonDepth = 8;

    /// <summary>Parses <paramref name="header"/> and validates it against a data buffer of <paramref name="dataLength"/> bytes.</summary>
    /// <param name="header">The header bytes (JSON, possibly followed by padding whitespace).</param>
    /// <param name="dataLength">The number of bytes that follow the header.</param>
    /// <param name="filePath">The file being read, for error messages; <see langword="null"/> for a stream.</param>
    /// <returns>The validated header.</returns>
    /// <exception cref="SafeTensorsFormatException">Anything about the header is wrong.</exception>
    public static SafeTensorsHeader Parse(ReadOnlySpan<byte> header, long dataLength, string? filePath)
    {
        if (!Utf8.IsValid(header))
        {
            throw new SafeTensorsFormatException("the header is not valid UTF-8.", filePath, null);
        }

        // The reference implementation insists on '{' as the very first byte (no leading whitespace).
        if (header.IsEmpty || header[0] != (byte)'{')
        {
            throw new SafeTensorsFormatException("the header must be a JSON object starting with '{' at its first byte.", filePath, null);
        }

        var tensors = new List<SafeTensorsTensorInfo>();
        Dictionary<string, string>? metadata = null;
        try
        {
            var reader = new Utf8JsonReader(header, new JsonReaderOptions
            {
                CommentHandling = JsonCommentHandling.Disallow,
                AllowTrailingCommas = false,
                MaxDepth = MaxJsonDepth,
            });
            ReadRoot(ref reader, dataLength, filePath, tensors, ref metadata);

            // Only whitespace (the padding) may follow the object; the reader throws on anything else.
            if (reader.Read())
            {
                throw new SafeTensorsFormatException("unexpected content after the header object.", filePath, null);
            }
        }
        catch (JsonException ex)
        {
            throw new SafeTensorsFormatException($"the header is not valid JSON ({ex.Message}).", filePath, null, ex);
        }
        catch (InvalidOperationException ex)
        {
            // Utf8JsonReader reports strings it cannot decode (e.g. an escaped unpaired surrogate) this way.
            throw new SafeTensorsFormatException($"the header contains an undecodable JSON string ({ex.Message}).", filePath, null, ex);
        }

        var ordered = ValidateLayout(tensors, dataLength, filePath);
        IReadOnlyDictionary<string, string> readOnlyMetadata = metadata is null
            ? ReadOnlyDictionary<string, string>.Empty
            : new ReadOnlyDictionary<string, string>(metadata);
        return new SafeTensorsHeader(ordered, readOnlyMetadata);
    }

    private static void ReadRoot(
        ref Utf8JsonReader reader,
        long dataLength,
        string? filePath,
        List<SafeTensorsTensorInfo> tensors,
        ref Dictionary<string, string>? metadata)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new SafeTensorsFormatException("the header must be a JSON object.", filePath, null);
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var sawMetadata = false;
        while (true)
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return;
            }

            var key = reader.GetString()!;
            if (key == SafeTensorsEntry.MetadataKey)
            {
                if (sawMetadata)
                {
                    throw new SafeTensorsFormatException($"duplicate key '{SafeTensorsEntry.MetadataKey}'.", filePath, null);
                }

                sawMetadata = true;
                metadata = ReadMetadata(ref reader, filePath);
                continue;
            }

            if (!names.Add(key))
            {
                throw new SafeTensorsFormatException("the tensor name appears more than once in the header.", filePath, key);
            }

            if (SafeTensorsEntry.NameProblem(key) is { } problem)
            {
                throw new SafeTensorsFormatException($"{problem}.", filePath, key);
            }

            tensors.Add(ReadTensor(ref reader, key, dataLength, filePath));
        }
    }

    private static Dictionary<string, string>? ReadMetadata(ref Utf8JsonReader reader, string? filePath)
    {
        reader.Read();

        // serde's Option<HashMap> in the reference implementation accepts null as "no metadata".
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new SafeTensorsFormatException($"'{SafeTensorsEntry.MetadataKey}' must be an object of strings.", filePath, null);
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        while (true)
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return metadata;
            }

            var key = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new SafeTensorsFormatException(
                    $"metadata value for key {SafeTensorsText.Quote(key)} must be a string, not {Describe(reader.TokenType)}.", filePath, null);
            }

            if (!metadata.TryAdd(key, reader.GetString()!))
            {
                throw new SafeTensorsFormatException($"duplicate metadata key {SafeTensorsText.Quote(key)}.", filePath, null);
            }
        }
    }

    private static SafeTensorsTensorInfo ReadTensor(ref Utf8JsonReader reader, string name, long dataLength, string? filePath)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new SafeTensorsFormatException($"the entry must be an object, not {Describe(reader.TokenType)}.", filePath, name);
        }

        SafeTensorsDType? dtype = null;
        ImmutableArray<int>? shape = null;
        (ulong Begin, ulong End)? offsets = null;
        while (true)
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            if (reader.ValueTextEquals("dtype"u8))
            {
                EnsureFirst(dtype.HasValue, "dtype", name, filePath);
                dtype = ReadDType(ref reader, name, filePath);
            }
            else if (reader.ValueTextEquals("shape"u8))
            {
                EnsureFirst(shape.HasValue, "shape", name, filePath);
                shape = ReadShape(ref reader, name, filePath);
            }
            else if (reader.ValueTextEquals("data_offsets"u8))
            {
                EnsureFirst(offsets.HasValue, "data_offsets", name, filePath);
                offsets = ReadOffsets(ref reader, name, filePath);
            }
            else
            {
                throw new SafeTensorsFormatException(
                    $"unexpected key {SafeTensorsText.Quote(reader.GetString()!)} (allowed: dtype, shape, data_offsets).", filePath, name);
            }
        }

        if (dtype is null || shape is null || offsets is null)
        {
            var missing = dtype is null ? "dtype" : shape is null ? "shape" : "data_offsets";
            throw new SafeTensorsFormatException($"missing '{missing}'.", filePath, name);
        }

        return CheckSizes(name, dtype.Value, shape.Value, offsets.Value.Begin, offsets.Value.End, dataLength, filePath);
    }

    private static void EnsureFirst(bool seen, string key, string name, string? filePath)
    {
        if (seen)
        {
            throw new SafeTensorsFormatException($"duplicate key '{key}'.", filePath, name);
        }
    }

    private static SafeTensorsDType ReadDType(ref Utf8JsonReader reader, string name, string? filePath)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new SafeTensorsFormatException($"'dtype' must be a string, not {Describe(reader.TokenType)}.", filePath, name);
        }

        var text = reader.GetString()!;
        if (SafeTensorsDTypes.TryParse(text, out var dtype))
        {
            return dtype;
        }

        var problem = SafeTensorsDTypes.IsKnownUnsupported(text)
            ? $"unsupported dtype '{text}' (packed sub-byte, E8M0 and complex types cannot be read)."
            : $"unknown dtype {SafeTensorsText.Quote(text)}.";
        throw new SafeTensorsFormatException(problem, filePath, name);
    }

    private static ImmutableArray<int> ReadShape(ref Utf8JsonReader reader, string name, string? filePath)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new SafeTensorsFormatException($"'shape' must be an array, not {Describe(reader.TokenType)}.", filePath, name);
        }

        var dims = ImmutableArray.CreateBuilder<int>();
        while (true)
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return dims.ToImmutable();
            }

            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var dim))
            {
                throw new SafeTensorsFormatException(
                    $"'shape' entries must be integers; found {Describe(reader.TokenType)} at index {dims.Count}.", filePath, name);
            }

            if (dim < 0)
            {
                throw new SafeTensorsFormatException($"'shape' has a negative dimension ({dim}) at index {dims.Count}.", filePath, name);
            }

            if (dim > int.MaxValue)
            {
                throw new SafeTensorsFormatException($"'shape' dimension {dim} at index {dims.Count} exceeds {int.MaxValue}.", filePath, name);
            }

            dims.Add((int)dim);
        }
    }

    private static (ulong Begin, ulong End) ReadOffsets(ref Utf8JsonReader reader, string name, string? filePath)
    {
        const string Expected = "'data_offsets' must be an array of exactly two non-negative integers [begin, end]";
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new SafeTensorsFormatException($"{Expected}, not {Describe(reader.TokenType)}.", filePath, name);
        }

        Span<ulong> values = stackalloc ulong[2];
        for (var i = 0; i < 2; i++)
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetUInt64(out values[i]))
            {
                throw new SafeTensorsFormatException($"{Expected}; element {i} is not.", filePath, name);
            }
        }

        reader.Read();
        if (reader.TokenType != JsonTokenType.EndArray)
        {
            throw new SafeTensorsFormatException($"{Expected}; it has more than two elements.", filePath, name);
        }

        return (values[0], values[1]);
    }

    /// <summary>Checks one tensor's offsets against the buffer and against its shape and dtype.</summary>
    private static SafeTensorsTensorInfo CheckSizes(
        string name, SafeTensorsDType dtype, ImmutableArray<int> shape, ulong begin, ulong end, long dataLength, string? filePath)
    {
        if (begin > end)
        {
            throw new SafeTensorsFormatException($"'data_offsets' begin ({begin}) is greater than end ({end}).", filePath, name);
        }

        if (end > (ulong)dataLength)
        {
            throw new SafeTensorsFormatException(
                $"'data_offsets' end ({end}) is out of bounds: the data buffer has {dataLength} bytes.", filePath, name);
        }

        // The true product of the dimensions. A zero dimension makes it 0 however large the others are;
        // otherwise each multiplication is checked for overflow.
        ulong count = 1;
        var hasZero = shape.Contains(0);
        if (!hasZero)
        {
            foreach (var dim in shape)
            {
                if (count > ulong.MaxValue / (ulong)dim)
                {
                    throw new SafeTensorsFormatException($"the number of elements of shape {Shapes.Format(shape)} overflows.", filePath, name);
                }

                count *= (ulong)dim;
            }
        }
        else
        {
            count = 0;
        }

        var elementSize = (ulong)SafeTensorsDTypes.ElementSize(dtype);
        if (count > ulong.MaxValue / elementSize)
        {
            throw new SafeTensorsFormatException($"the byte size of shape {Shapes.Format(shape)} overflows.", filePath, name);
        }

        var byteCount = count * elementSize;
        if (end - begin != byteCount)
        {
            throw new SafeTensorsFormatException(
                $"'data_offsets' [{begin}, {end}] span {end - begin} bytes, but shape {Shapes.Format(shape)} of "
                    + $"{SafeTensorsDTypes.ToHeaderString(dtype)} needs {byteCount}.",
                filePath,
                name);
        }

        // The bytes exist in the file (end <= dataLength). Whether the elements fit one .NET array is checked only if the
        // tensor is read, so a file may hold tensors a caller never asks for.
        return new SafeTensorsTensorInfo(name, dtype, shape, (long)count, (long)begin, (long)end);
    }

    /// <summary>
    /// Requires the tensors to tile the data buffer exactly: sorted by offset, each starts where the
    /// previous one ended, the first at 0 and the last at the end of the buffer. This rules out
    /// overlaps (aliasing), gaps and trailing bytes, as the reference implementation does.
    /// </summary>
    private static List<SafeTensorsTensorInfo> ValidateLayout(List<SafeTensorsTensorInfo> tensors, long dataLength, string? filePath)
    {
        // Ties in DataBegin only occur with empty tensors; ordering them by End puts them first, where they
        // are harmless. The name breaks remaining ties so the result is deterministic.
        var ordered = tensors
            .OrderBy(t => t.DataBegin)
            .ThenBy(t => t.DataEnd)
            .ThenBy(t => t.Name, StringComparer.Ordinal)
            .ToList();
        long position = 0;
        SafeTensorsTensorInfo? previous = null;
        foreach (var tensor in ordered)
        {
            if (tensor.DataBegin < position)
            {
                throw new SafeTensorsFormatException(
                    $"its data [{tensor.DataBegin}, {tensor.DataEnd}] overlaps tensor {SafeTensorsText.Quote(previous!.Name)} "
                        + $"[{previous.DataBegin}, {previous.DataEnd}].",
                    filePath,
                    tensor.Name);
            }

            if (tensor.DataBegin > position)
            {
                throw new SafeTensorsFormatException(
                    $"its data starts at {tensor.DataBegin}, leaving a gap of unused bytes after offset {position}; tensors must be contiguous.",
                    filePath,
                    tensor.Name);
            }

            position = tensor.DataEnd;
            previous = tensor;
        }

        if (position != dataLength)
        {
            throw new SafeTensorsFormatException(
                $"the tensors cover {position} bytes of data but {dataLength} bytes follow the header; trailing bytes are not allowed.",
                filePath,
                null);
        }

        return ordered;
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a non-integer or out-of-range number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
