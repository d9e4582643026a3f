using System.Buffers.Binary;
using MetaLearn.Tensors.Serialization;
using static MetaLearn.Tensors.Tests.Serialization.SafeTensorsTestFiles;

namespace MetaLearn.Tensors.Tests.Serialization;

public sealed class SafeTensorsReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static byte[] HalfBytes(params float[] values) => LittleEndian<float>(2, (b, v) => BinaryPrimitives.WriteHalfLittleEndian(b, (Half)v), values);

    private static byte[] BFloat16Bytes(params uint[] singleBits) => LittleEndian<uint>(2, (b, v) => BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)(v >> 16)), singleBits);

    private static SafeTensorsReader Open(byte[] file) => SafeTensorsReader.Open(new MemoryStream(file));

    /// <summary>Rows: dtype, raw bytes, the values as double (exact), and whether they are integers.</summary>
    public static TheoryData<string, byte[], double[]> Conversions => new()
    {
        { "BOOL", [0, 1, 2, 255], [0, 1, 1, 1] },
        { "U8", [0, 7, 255], [0, 7, 255] },
        { "I8", [0x80, 0xFF, 0x7F], [-128, -1, 127] },
        { "I16", LittleEndian<short>(2, BinaryPrimitives.WriteInt16LittleEndian, short.MinValue, -2, short.MaxValue), [-32768, -2, 32767] },
        { "U16", LittleEndian<ushort>(2, BinaryPrimitives.WriteUInt16LittleEndian, 0, ushort.MaxValue), [0, 65535] },
        { "I32", LittleEndian<int>(4, BinaryPrimitives.WriteInt32LittleEndian, int.MinValue, 3), [int.MinValue, 3] },
        { "U32", LittleEndian<uint>(4, BinaryPrimitives.WriteUInt32LittleEndian, uint.MaxValue), [uint.MaxValue] },
        { "I64", LittleEndian<long>(8, BinaryPrimitives.WriteInt64LittleEndian, -5, 1L << 40), [-5, 1L << 40] },
        { "U64", LittleEndian<ulong>(8, BinaryPrimitives.WriteUInt64LittleEndian, 9, 1UL << 63), [9, 9223372036854775808.0] },
        { "F16", HalfBytes(1f, -2.5f, 65504f, 5.9604645e-08f, float.PositiveInfinity), [1, -2.5, 65504, Math.ScaleB(1, -24), double.PositiveInfinity] },
        { "BF16", BFloat16Bytes(0x3F80_0000, 0xC060_0000, 0x7F7F_0000, 0x0001_0000), [1, -3.5, Math.ScaleB(255, 120), Math.ScaleB(1, -133)] },

        // E4M3 ("fn"): 1.0, largest (448), smallest subnormal (2^-9), -1.0, smallest normal (2^-6).
        { "F8_E4M3", [0x38, 0x7E, 0x01, 0xB8, 0x08], [1, 448, Math.ScaleB(1, -9), -1, Math.ScaleB(1, -6)] },

        // E5M2: 1.0, largest (57344), smallest subnormal (2^-16), -infinity.
        { "F8_E5M2", [0x3C, 0x7B, 0x01, 0xFC], [1, 57344, Math.ScaleB(1, -16), double.NegativeInfinity] },
        { "F32", LittleEndian<float>(4, BinaryPrimitives.WriteSingleLittleEndian, 1.5f, -0.1f), [1.5, (double)-0.1f] },
        { "F64", LittleEndian<double>(8, BinaryPrimitives.WriteDoubleLittleEndian, Math.PI, -1e300), [Math.PI, -1e300] },
    };

    [Theory]
    [MemberData(nameof(Conversions))]
    public void EveryDtypeConvertsToDoubleAndFloat(string dtype, byte[] data, double[] expected)
    {
        using var reader = Open(FileOf(("t", dtype, [expected.Length], data)));
        var info = Assert.Single(reader.Tensors);
        Assert.True(SafeTensorsDTypes.TryParse(dtype, out var parsed));
        Assert.Equal(parsed, info.DType);
        Assert.Equal(dtype, info.DType.ToHeaderString());
        Assert.Equal(data.Length, info.ByteLength);

        Assert.Equal(expected, reader.ReadFloat64("t"));
        Assert.Equal(expected.Select(v => (float)v), reader.ReadFloat32("t"));
        Assert.Equal(data, reader.ReadBytes("t"));
        Assert.Equal(3 * data.Length, reader.BytesRead);
    }

    [Fact]
    public void Float8E4M3NaNAndEveryByteDecodeLikeTheFormula()
    {
        Assert.True(float.IsNaN(SafeTensorsDecoder.Float8E4M3ToSingle(0x7F)));
        Assert.True(float.IsNaN(SafeTensorsDecoder.Float8E4M3ToSingle(0xFF)));
        for (var bits = 0; bits < 256; bits++)
        {
            int exponent = (bits >> 3) & 0xF, mantissa = bits & 7;
            if (exponent == 15 && mantissa == 7)
            {
                continue;
            }

            var magnitude = exponent == 0 ? mantissa / 8.0 * Math.Pow(2, -6) : (1 + (mantissa / 8.0)) * Math.Pow(2, exponent - 7);
            Assert.Equal((bits & 0x80) != 0 ? -magnitude : magnitude, SafeTensorsDecoder.Float8E4M3ToSingle((byte)bits));
        }
    }

    [Fact]
    public void IntegersReadExactlyAsInt64()
    {
        using var reader = Open(FileOf(
            ("count", "I64", [], LittleEndian<long>(8, BinaryPrimitives.WriteInt64LittleEndian, long.MaxValue)),
            ("flags", "BOOL", [3], [0, 1, 9]),
            ("small", "I8", [2], [0x80, 0x05]),
            ("wide", "U32", [1], LittleEndian<uint>(4, BinaryPrimitives.WriteUInt32LittleEndian, uint.MaxValue)),
            ("huge", "U64", [2], LittleEndian<ulong>(8, BinaryPrimitives.WriteUInt64LittleEndian, 1, ulong.MaxValue))));
        Assert.Equal([long.MaxValue], reader.ReadInt64("count"));
        Assert.Equal([0L, 1, 1], reader.ReadInt64("flags"));
        Assert.Equal([-128L, 5], reader.ReadInt64("small"));
        Assert.Equal([(long)uint.MaxValue], reader.ReadInt64("wide"));
        var overflow = Assert.Throws<OverflowException>(() => reader.ReadInt64("huge"));
        Assert.Contains("'huge'", overflow.Message, StringComparison.Ordinal);
        Assert.Contains("element 1", overflow.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongReadsNameTheTensorAndTheFile()
    {
        var path = _dir.File("mixed.safetensors");
        File.WriteAllBytes(path, FileOf(("w", "F32", [1], new byte[4])));
        using var reader = SafeTensorsReader.Open(path);
        var notInteger = Assert.Throws<ArgumentException>(() => reader.ReadInt64("w"));
        Assert.Contains("'w'", notInteger.Message, StringComparison.Ordinal);
        Assert.Contains(path, notInteger.Message, StringComparison.Ordinal);
        Assert.Contains("F32", notInteger.Message, StringComparison.Ordinal);
        var unknown = Assert.Throws<ArgumentException>(() => reader.ReadFloat32("nope"));
        Assert.Contains("'nope'", unknown.Message, StringComparison.Ordinal);
        Assert.Null(reader.Find("nope"));
        Assert.Equal(0, reader.BytesRead);
    }

    [Fact]
    public void TheByteCapStopsAReadBeforeItAllocates()
    {
        var file = FileOf(("a", "F32", [2], new byte[8]), ("b", "F16", [4], new byte[8]));
        using var reader = SafeTensorsReader.Open(new MemoryStream(file), new SafeTensorsReadOptions { MaxTotalBytes = 12 });
        Assert.Equal(2, reader.ReadFloat32("a").Length);
        var error = Assert.Throws<SafeTensorsFormatException>(() => reader.ReadFloat32("b"));
        Assert.Equal("b", error.TensorName);
        Assert.Contains("cap of 12 bytes", error.Message, StringComparison.Ordinal);
        Assert.Equal(8, reader.BytesRead);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SafeTensorsReadOptions { MaxTotalBytes = -1 });
    }

    [Fact]
    public void AHugeTensorThatIsNotReadCostsNothing()
    {
        // 2 GB of apparent size with no data written: the file system keeps it sparse.
        var path = _dir.File("sparse.safetensors");
        var header = "{\"small\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"huge\":{\"dtype\":\"F32\",\"shape\":[500000000],\"data_offsets\":[8,2000000008]}}";
        var prefix = Build(header, 0);
        using (var stream = new FileStream(path, FileMode.CreateNew))
        {
            stream.Write(prefix);
            stream.SetLength(prefix.Length + 2_000_000_008L);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        using var reader = SafeTensorsReader.Open(path, new SafeTensorsReadOptions { MaxTotalBytes = 1 << 20 });
        Assert.Equal([0f, 0f], reader.ReadFloat32("small"));
        Assert.Equal(500_000_000, reader.Find("huge")!.ElementCount);
        var error = Assert.Throws<SafeTensorsFormatException>(() => reader.ReadFloat32("huge"));
        Assert.Contains("cap of 1048576 bytes", error.Message, StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < (4 << 20), "opening and reading the small tensor allocated more than 4 MB");
    }

    [Fact]
    public void EagerLoadPointsToTheReaderForDtypesItDoesNotHold()
    {
        var file = FileOf(("w", "BF16", [2], BFloat16Bytes(0x3F80_0000, 0x4000_0000)));
        var error = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Load(new MemoryStream(file)));
        Assert.Equal("w", error.TensorName);
        Assert.Contains(nameof(SafeTensorsReader), error.Message, StringComparison.Ordinal);
        using var reader = Open(file);
        Assert.Equal([1f, 2f], reader.ReadFloat32("w"));
    }

    [Fact]
    public void ReaderLeavesACallersStreamOpenAndRejectsUseAfterDispose()
    {
        var stream = new MemoryStream(FileOf(("w", "F32", [1], new byte[4])));
        var reader = SafeTensorsReader.Open(stream);
        reader.Dispose();
        Assert.True(stream.CanRead);
        Assert.Throws<ObjectDisposedException>(() => reader.ReadFloat32("w"));
    }
}
