using MetaLearn.Data.Numpy;

namespace MetaLearn.Tests.Data.Numpy;

public class PickleReaderTests
{
    public static TheoryData<PythonPickle> Pythons => [.. Enum.GetValues<PythonPickle>()];

    private static object? Read(byte[] pickle) => PickleReader.Read(new MemoryStream(pickle), "test.pkl");

    [Theory]
    [MemberData(nameof(Pythons))]
    public void ReadsPlainValuesAsEachPythonWritesThem(PythonPickle python)
    {
        var value = new Dictionary<string, object?>
        {
            ["ints"] = new List<object?> { 0, 255, 256, 65536, -1, int.MinValue, 1L << 40, long.MinValue },
            ["float"] = -2.5,
            ["none"] = null,
            ["flags"] = new object?[] { true, false },
            ["name"] = "n01532829",
            ["bytes"] = new byte[] { 0, 127, 128, 255 },
            ["empty"] = Array.Empty<byte>(),
            ["nested"] = new object?[] { new List<object?> { "a" }, new Dictionary<string, object?> { ["k"] = 7 }, 1, 2 },
        };

        var root = Assert.IsType<Dictionary<object, object?>>(Read(PickleWriter.Write(value, python)));
        Assert.Equal([0L, 255L, 256L, 65536L, -1L, (long)int.MinValue, 1L << 40, long.MinValue], Assert.IsType<List<object?>>(root["ints"]));
        Assert.Equal(-2.5, root["float"]);
        Assert.Null(root["none"]);
        Assert.Equal([true, false], Assert.IsType<object?[]>(root["flags"]));
        Assert.Equal("n01532829", PickleValue.Text(root["name"], "name", "test"));
        Assert.Equal([0, 127, 128, 255], PickleValue.Bytes(root["bytes"], "bytes", "test"));
        Assert.Empty(PickleValue.Bytes(root["empty"], "empty", "test"));
        var nested = Assert.IsType<object?[]>(root["nested"]);
        Assert.Equal(4, nested.Length);
        Assert.Equal("a", PickleValue.Text(Assert.IsType<List<object?>>(nested[0])[0], "a", "test"));
        Assert.Equal(7L, Assert.IsType<Dictionary<object, object?>>(nested[1])["k"]);
    }

    [Theory]
    [MemberData(nameof(Pythons))]
    public void ReadsNumpyArraysAsEachPythonWritesThem(PythonPickle python)
    {
        var pixels = Enumerable.Range(0, 24).Select(i => (byte)(i * 10)).ToArray();
        var value = new List<object?>
        {
            TestArray.UInt8([2, 3, 4], pixels),
            TestArray.Int64(5, -3, 1L << 33),
            new TestArray(">f4", [2], [0x3F, 0x80, 0, 0, 0xC0, 0, 0, 0]),
            // A 2 × 3 array stored column by column: C order reads 1 2 3 / 4 5 6.
            new TestArray("|u1", [2, 3], [1, 4, 2, 5, 3, 6], FortranOrder: true),
        };

        var arrays = Assert.IsType<List<object?>>(Read(PickleWriter.Write(value, python))).Cast<NumpyArray>().ToArray();
        Assert.Equal([2L, 3, 4], arrays[0].Shape);
        Assert.Equal("|u1", arrays[0].DType.Name);
        Assert.Equal(pixels, arrays[0].Data);
        Assert.Equal([5L, -3, 1L << 33], arrays[1].ToInt64("labels"));
        Assert.True(arrays[2].DType.BigEndian);
        Assert.Equal(">f4", arrays[2].DType.Name);
        Assert.Equal([1, 2, 3, 4, 5, 6], arrays[3].Data);
    }

    [Theory]
    [InlineData("cos\nsystem\n(S'echo'\ntR.", "os.system")]
    [InlineData("c__builtin__\neval\n(X\u0001\u0000\u0000\u00001tR.", "__builtin__.eval")]
    [InlineData("\u008c\u0008builtins\u008c\u0004exec\u0093.", "builtins.exec")]
    [InlineData("cnumpy.core.multiarray\n_reconstruct\ncos\nsystem\n.", "os.system")]
    public void RefusesEveryOtherGlobalBeforeAnyCall(string opcodes, string named)
    {
        var pickle = new byte[] { 0x80, 2 }.Concat(opcodes.Select(c => (byte)c)).ToArray();
        var error = Assert.Throws<InvalidDataException>(() => Read(pickle));
        Assert.Contains($"'{named}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("refused", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("test.pkl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesClassInstancesSetsAndOtherProtocols()
    {
        Assert.Contains("opcode 0x81", Assert.Throws<InvalidDataException>(() => Read([0x80, 2, 0x4E, 0x29, 0x81, 0x2E])).Message, StringComparison.Ordinal);
        Assert.Contains("opcode 0x8f", Assert.Throws<InvalidDataException>(() => Read([0x80, 4, 0x8F, 0x2E])).Message, StringComparison.Ordinal);
        Assert.Contains("protocol 6", Assert.Throws<InvalidDataException>(() => Read([0x80, 6, 0x4E, 0x2E])).Message, StringComparison.Ordinal);
        // Protocol 0 text opcodes (INT) are not read.
        Assert.Throws<InvalidDataException>(() => Read("I1\n."u8.ToArray()));
    }

    [Fact]
    public void ATruncatedOrCorruptPickleIsAClearError()
    {
        var pickle = PickleWriter.Write(new Dictionary<string, object?> { ["image_data"] = TestArray.UInt8([4, 4], new byte[16]) }, PythonPickle.Python3Protocol4);
        for (int cut = 1; cut < pickle.Length; cut += 7)
        {
            var error = Assert.Throws<InvalidDataException>(() => Read(pickle[..cut]));
            Assert.StartsWith("test.pkl", error.Message, StringComparison.Ordinal);
        }

        // A BINBYTES that claims 4 GB in a 10-byte file is refused before anything is allocated.
        var huge = Assert.Throws<InvalidDataException>(() => Read([0x80, 3, (byte)'B', 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0]));
        Assert.Contains("runs past the end", huge.Message, StringComparison.Ordinal);
        Assert.Contains("memo has no entry 9", Assert.Throws<InvalidDataException>(() => Read([0x80, 2, (byte)'h', 9, 0x2E])).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => Read("not a pickle at all"u8.ToArray()));
    }

    [Fact]
    public void AnArrayWhoseDataDoesNotMatchItsShapeIsRefused()
    {
        var pickle = PickleWriter.Write(TestArray.UInt8([2, 3], new byte[5]), PythonPickle.Python3Protocol4);
        var error = Assert.Throws<InvalidDataException>(() => Read(pickle));
        Assert.Contains("needs 6 bytes but holds 5", error.Message, StringComparison.Ordinal);
    }
}
