using System.Text;
using MetaLearn.Tensors.Serialization;

namespace MetaLearn.Tensors.Tests.Serialization;

public sealed class SafeTensorsMalformedTests : IDisposable
{
    private const string Ok = "\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]";

    /// <summary>Each case: the file bytes, a fragment the message must contain, and the tensor it must name (if any).</summary>
    private static readonly Dictionary<string, (byte[] File, string Fragment, string? Tensor)> Cases = new()
    {
        ["empty file"] = ([], "0 bytes long", null),
        ["7 bytes"] = (new byte[7], "7 bytes long", null),
        ["header length 2^63"] = (SafeTensorsTestFiles.PrefixOnly(1UL << 63, 16), "exceeds the limit", null),
        ["header length 2^64-1"] = (SafeTensorsTestFiles.PrefixOnly(ulong.MaxValue, 16), "exceeds the limit", null),
        ["header length > file"] = (SafeTensorsTestFiles.PrefixOnly(100, 20), "exceeds the 20 bytes", null),
        ["header length 0"] = (SafeTensorsTestFiles.PrefixOnly(0, 0), "starting with '{'", null),
        ["invalid UTF-8"] = (SafeTensorsTestFiles.Build([.. "{\"a"u8, 0xFF, .. "\":1}"u8], 0), "not valid UTF-8", null),
        ["truncated JSON"] = (SafeTensorsTestFiles.Build("{\"a\":{\"dtype\":", 0), "not valid JSON", null),
        ["trailing comma"] = (SafeTensorsTestFiles.Build("{\"a\":{" + Ok + "},}", 8), "not valid JSON", null),
        ["content after object"] = (SafeTensorsTestFiles.Build("{}{}", 0), "not valid JSON", null),
        ["JSON comment"] = (SafeTensorsTestFiles.Build("{/* hi */}", 0), "not valid JSON", null),
        ["array at top level"] = (SafeTensorsTestFiles.Build("[]", 0), "starting with '{'", null),
        ["leading whitespace"] = (SafeTensorsTestFiles.Build(" {}", 0), "starting with '{'", null),
        ["entry not an object"] = (SafeTensorsTestFiles.Build("{\"a\":[1]}", 0), "must be an object", "a"),
        ["missing dtype"] = (SafeTensorsTestFiles.Build("{\"a\":{\"shape\":[2],\"data_offsets\":[0,8]}}", 8), "missing 'dtype'", "a"),
        ["missing data_offsets"] = (SafeTensorsTestFiles.Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8), "missing 'data_offsets'", "a"),
        ["unknown key"] = (SafeTensorsTestFiles.Build("{\"a\":{" + Ok + ",\"extra\":1}}", 8), "unexpected key 'extra'", "a"),
        ["duplicate dtype key"] = (SafeTensorsTestFiles.Build("{\"a\":{\"dtype\":\"F32\"," + Ok + "}}", 8), "duplicate key 'dtype'", "a"),
        ["dtype not a string"] = (SafeTensorsTestFiles.Build("{\"a\":{\"dtype\":32,\"shape\":[2],\"data_offsets\":[0,8]}}", 8), "'dtype' must be a string", "a"),
        ["unknown dtype"] = (SafeTensorsTestFiles.Build("{\"a\":{\"dtype\":\"F33\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8), "unknown dtype 'F33'", "a"),
        ["unsupported dtype C64"] = (SafeTensorsTestFiles.Build("{\"a\":{\"dtype\":\"C64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8), "unsupported dtype 'C64'", "a"),
        ["unsupported dtype F4"] = (SafeTensorsTestFiles.Build("{\"a\":{\"dtype\":\"F4\",\"shape\":[16],\"data_offsets\":[0,8]}}", 8), "unsupported dtype 'F4'", "a"),
        ["lowercase dtype"] = (SafeTensorsTestFiles.Build("{\"a\":{\"dtype\":\"f32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8), "unknown dtype 'f32'", "a"),
        ["negative shape"] = (SafeTensorsTestFiles.Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8), "negative dimension", "a"),
        ["shape not an array"] = (SafeTensorsTestFiles.Build("{\"a\":{\"dtype\":\"F32\",\"shape\":2,\"data_offsets\":[0,8]}}", 8), "'shape' must be an array", "a"),
        ["non-integer shape"] = (SafeTensorsTestFiles.Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]}}", 8), "'shape' entries must be integers", "a"),
        ["string in shape"] = (SafeTensorsTestFiles.Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[\"2\"],\"data_offsets\":[0,8]}}", 8), "'shape' entries must be integers", "a"),
        ["nested shape"] = (SafeTensorsTestFiles.Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[[2]],\"data_offsets\":[0,8]}}", 8), "'shape' entries must be integers", "a"),
        ["dimension above int range"] = (SafeTensorsTestFiles.Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296],\"data_offsets\":[0,8]}}", 8), "exceeds 2147483647", "a"),
        ["shape product overflow"] = (SafeTensorsTestFiles.Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,2147483647,2147483647,2147483647],\"data_offsets\":[0,8]}}", 8), "overflows", "a"),
        ["byte size overflow"] = (SafeTensorsTestFiles.Build("{\"a\":{\"dtype\":\"F64\",\"shape\":[2147483647,2147483647,2147483647],\"data_offsets\":[0,8]}}", 8), "overflows", "a"),
        ["offsets not an array"] = (SafeTensorsTestFiles.Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":0}}", 8), "'data_offsets' must be an array", "a"),
        ["one offset"] = (SafeTensorsTestFiles.Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", 8), "element 1 is not", "a"),
        ["three offsets"] = (SafeTensorsTestFiles.Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8,8]}}", 8), "more than two", "a"),
        ["negative offset"] = (SafeTensorsTestFiles.Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[-8,0]}}", 8), "element 0 is not", "a"),
        ["offsets out of bounds"] = (SafeTensorsTestFiles.Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", 8), "out of bounds", "a"),
        ["offset beyond u64"] = (SafeTensorsTestFiles.Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,18446744073709551616]}}", 8), "element 1 is not", "a"),
        ["begin > end"] = (SafeTensorsTestFiles.Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}", 8), "greater than end", "a"),
        ["byte count mismatch"] = (SafeTensorsTestFiles.Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8), "needs 12", "a"),
        ["overlapping tensors"] = (SafeTensorsTestFiles.Build("{\"a\":{" + Ok + "},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12), "overlaps tensor 'a'", "b"),
        ["aliased tensors"] = (SafeTensorsTestFiles.Build("{\"a\":{" + Ok + "},\"b\":{" + Ok + "}}", 8), "overlaps", null),
        ["gap between tensors"] = (SafeTensorsTestFiles.Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", 12), "gap", "b"),
        ["trailing garbage"] = (SafeTensorsTestFiles.Build("{\"a\":{" + Ok + "}}", 9), "trailing bytes", null),
        ["data without tensors"] = (SafeTensorsTestFiles.Build("{}", 4), "trailing bytes", null),
        ["duplicate tensor names"] = (SafeTensorsTestFiles.Build("{\"a\":{" + Ok + "},\"a\":{" + Ok + "}}", 8), "more than once", "a"),
        ["duplicate via escape"] = (SafeTensorsTestFiles.Build("{\"a\":{" + Ok + "},\"\\u0061\":{" + Ok + "}}", 8), "more than once", "a"),
        ["empty tensor name"] = (SafeTensorsTestFiles.Build("{\"\":{" + Ok + "}}", 8), "name is empty", ""),
        ["escaped lone surrogate name"] = (SafeTensorsTestFiles.Build("{\"\\ud800\":{" + Ok + "}}", 8), "undecodable", null),
        ["metadata not an object"] = (SafeTensorsTestFiles.Build("{\"__metadata__\":[]}", 0), "must be an object of strings", null),
        ["metadata non-string value"] = (SafeTensorsTestFiles.Build("{\"__metadata__\":{\"epoch\":3}}", 0), "value for key 'epoch' must be a string", null),
        ["metadata nested object"] = (SafeTensorsTestFiles.Build("{\"__metadata__\":{\"k\":{\"x\":\"y\"}}}", 0), "must be a string", null),
        ["duplicate metadata key"] = (SafeTensorsTestFiles.Build("{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}}", 0), "duplicate metadata key 'k'", null),
        ["duplicate metadata block"] = (SafeTensorsTestFiles.Build("{\"__metadata__\":{},\"__metadata__\":{}}", 0), "duplicate key '__metadata__'", null),
    };

    private readonly TempDirectory _dir = new();

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    public void Dispose() => _dir.Dispose();

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MalformedFileIsRejectedWithDescriptiveMessage(string caseName)
    {
        var (bytes, fragment, tensor) = Cases[caseName];
        var path = _dir.File("bad.safetensors");
        File.WriteAllBytes(path, bytes);

        var ex = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Load(path));
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Equal(path, ex.FilePath);
        if (tensor is not null)
        {
            Assert.Equal(tensor, ex.TensorName);
            Assert.Contains($"tensor '{tensor}'", ex.Message, StringComparison.Ordinal);
        }

        // The metadata-only and stream entry points apply the same validation.
        Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.ReadMetadata(path));
        var fromStream = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Load(new MemoryStream(bytes)));
        Assert.Null(fromStream.FilePath);
        Assert.Contains(fragment, fromStream.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HugeNameIsTruncatedInMessage()
    {
        var name = new string('n', 10_000);
        var bytes = SafeTensorsTestFiles.Build("{\"" + name + "\":{\"dtype\":\"C64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8);
        var ex = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Load(new MemoryStream(bytes)));
        Assert.True(ex.Message.Length < 400, ex.Message);
        Assert.Equal(name, ex.TensorName);
    }

    [Fact]
    public void PaddingMayBeAnyJsonWhitespace()
    {
        var header = Encoding.ASCII.GetBytes("{\"a\":{" + Ok + "}}\n\t\r ");
        var bytes = SafeTensorsTestFiles.Build(header, 8);
        Assert.Single(SafeTensors.Load(new MemoryStream(bytes)));
    }

    [Fact]
    public void EmptyTensorsMayShareAnOffset()
    {
        var bytes = SafeTensorsTestFiles.Build(
            "{\"e1\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,8]},\"a\":{" + Ok + "},\"e0\":{\"dtype\":\"F64\",\"shape\":[3,0],\"data_offsets\":[0,0]}}",
            8);
        Assert.Equal(["e0", "a", "e1"], SafeTensors.Load(new MemoryStream(bytes)).Select(t => t.Name));
    }

    [Fact]
    public void ZeroDimensionMakesHugeShapeEmpty()
    {
        var bytes = SafeTensorsTestFiles.Build(
            "{\"z\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,2147483647,0],\"data_offsets\":[0,0]}}", 0);
        Assert.Empty(Assert.Single(SafeTensors.Load(new MemoryStream(bytes))).Float32Data!);
    }

    /// <summary>
    /// Rows at the end of an 8-byte data buffer: a tensor's offsets, and whether they are valid. One byte past the data
    /// must be caught by the offset check, which names the tensor, not by the later layout check (gap or trailing bytes).
    /// </summary>
    public static TheoryData<string, string, bool> OffsetBoundary => new()
    {
        { "U8", "[8],\"data_offsets\":[0,8]", true },
        { "U8", "[9],\"data_offsets\":[0,9]", false },
        { "F32", "[2],\"data_offsets\":[0,8]", true },
        { "F32", "[2],\"data_offsets\":[1,9]", false },
        { "U8", "[0],\"data_offsets\":[8,8]", true },
        { "U8", "[0],\"data_offsets\":[9,9]", false },
    };

    [Theory]
    [MemberData(nameof(OffsetBoundary))]
    public void DataOffsetsAreCheckedAtTheExactEndOfTheData(string dtype, string shapeAndOffsets, bool valid)
    {
        // A second tensor fills the buffer when the first is empty, so only the offsets under test can be wrong.
        var filler = shapeAndOffsets.StartsWith("[0]", StringComparison.Ordinal) ? ",\"f\":{\"dtype\":\"U8\",\"shape\":[8],\"data_offsets\":[0,8]}" : "";
        var bytes = SafeTensorsTestFiles.Build("{\"a\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shapeAndOffsets + "}" + filler + "}", 8);
        if (valid)
        {
            using var reader = SafeTensorsReader.Open(new MemoryStream(bytes));
            Assert.NotNull(reader.Find("a"));
            return;
        }

        var ex = Assert.Throws<SafeTensorsFormatException>(() => SafeTensorsReader.Open(new MemoryStream(bytes)));
        Assert.Equal("a", ex.TensorName);
        Assert.Contains("out of bounds: the data buffer has 8 bytes", ex.Message, StringComparison.Ordinal);
    }
}
