using System.Buffers.Binary;
using System.Text;
using MetaLearn.Tensors.Serialization;

namespace MetaLearn.Tensors.Tests.Serialization;

public sealed class SafeTensorsRoundTripTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static float F(uint bits) => BitConverter.UInt32BitsToSingle(bits);

    private static double D(ulong bits) => BitConverter.UInt64BitsToDouble(bits);

    [Fact]
    public void Float32RoundTripIsBitIdentical()
    {
        float[] values =
        [
            0f, -0f, 1f, -1.5f, float.Epsilon, -float.Epsilon, F(0x007F_FFFF), F(0x0000_1234), float.MaxValue, float.MinValue,
            float.PositiveInfinity, float.NegativeInfinity, F(0x7FC0_0000), F(0x7FC0_0001), F(0xFFC1_2345), F(0x7F80_0001), F(0xFF80_0042),
            3.14159274f,
        ];
        var path = _dir.File("f32.safetensors");
        SafeTensors.Save(path, [SafeTensorsEntry.FromFloat32("w", [2, 9], values)]);

        var loaded = Assert.Single(SafeTensors.Load(path));
        Assert.Equal("w", loaded.Name);
        Assert.Equal(SafeTensorsDType.Float32, loaded.DType);
        Assert.Equal<int>([2, 9], loaded.Shape);
        Assert.Null(loaded.Float64Data);
        Assert.Equal(values.Select(BitConverter.SingleToUInt32Bits), loaded.Float32Data!.Select(BitConverter.SingleToUInt32Bits));
    }

    [Fact]
    public void Float64RoundTripIsBitIdentical()
    {
        double[] values =
        [
            0d, -0d, double.Epsilon, -double.Epsilon, D(0x000F_FFFF_FFFF_FFFF), double.MaxValue, double.MinValue,
            double.PositiveInfinity, double.NegativeInfinity, D(0x7FF8_0000_0000_0001), D(0xFFF8_DEAD_BEEF_0001), D(0x7FF0_0000_0000_0001),
            Math.PI,
        ];
        var path = _dir.File("f64.safetensors");
        SafeTensors.Save(path, [SafeTensorsEntry.FromFloat64("v", [values.Length], values)]);

        var loaded = Assert.Single(SafeTensors.Load(path));
        Assert.Equal(SafeTensorsDType.Float64, loaded.DType);
        Assert.Null(loaded.Float32Data);
        Assert.Equal(values.Select(BitConverter.DoubleToUInt64Bits), loaded.Float64Data!.Select(BitConverter.DoubleToUInt64Bits));
    }

    [Fact]
    public void EmptyTensorsAndScalarsRoundTrip()
    {
        var path = _dir.File("shapes.safetensors");
        SafeTensors.Save(path,
        [
            SafeTensorsEntry.FromFloat32("empty", [0], []),
            SafeTensorsEntry.FromFloat32("empty3d", [3, 0, 2], []),
            SafeTensorsEntry.FromFloat64("emptyF64", [0, 5], []),
            SafeTensorsEntry.FromFloat32("scalar", [], [-0f]),
            SafeTensorsEntry.FromFloat64("scalar64", [], [double.NaN]),
            SafeTensorsEntry.FromFloat32("matrix", [2, 3], [1, 2, 3, 4, 5, 6]),
        ]);

        var doc = SafeTensors.LoadDocument(path);
        Assert.Equal(6, doc.Tensors.Count);
        Assert.Equal<int>([3, 0, 2], doc.Find("empty3d")!.Shape);
        Assert.Empty(doc.Find("empty3d")!.Float32Data!);
        Assert.Equal<int>([0, 5], doc.Find("emptyF64")!.Shape);
        Assert.Empty(doc.Find("scalar")!.Shape);
        Assert.Equal(0x8000_0000u, BitConverter.SingleToUInt32Bits(doc.Find("scalar")!.Float32Data![0]));
        Assert.True(double.IsNaN(doc.Find("scalar64")!.Float64Data![0]));
        Assert.Equal([1f, 2, 3, 4, 5, 6], doc.Find("matrix")!.Float32Data!);
        Assert.Null(doc.Find("missing"));
    }

    [Fact]
    public void Int64RoundTripsExactlyAndIsLaidOutBeforeF64AsTheReferenceWriterDoes()
    {
        long[] counts = [0, -1, long.MinValue, long.MaxValue, 5];
        using var stream = new MemoryStream();
        SafeTensors.Save(stream, [SafeTensorsEntry.FromFloat64("a", [1], [0.5]), SafeTensorsEntry.FromInt64("n", [5], counts)]);

        var text = Encoding.UTF8.GetString(stream.ToArray());
        Assert.Contains("{\"n\":{\"dtype\":\"I64\",\"shape\":[5],\"data_offsets\":[0,40]},\"a\":{\"dtype\":\"F64\"", text, StringComparison.Ordinal);
        stream.Position = 0;
        var loaded = SafeTensors.LoadDocument(stream).Find("n")!;
        Assert.Equal(SafeTensorsDType.Int64, loaded.DType);
        Assert.Equal(counts, loaded.Int64Data!);
        Assert.Equal(5, loaded.ElementCount);
    }

    [Fact]
    public void MetadataRoundTripsAndCanBeReadAlone()
    {
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "pt",
            ["note"] = "quote \" backslash \\ newline \n tab \t ctl \u0001 é 🎉",
            [""] = "",
            ["__metadata__"] = "nested key name is fine",
        };
        var path = _dir.File("meta.safetensors");
        SafeTensors.Save(path, [SafeTensorsEntry.FromFloat32("a", [1], [1f])], metadata);

        var doc = SafeTensors.LoadDocument(path);
        Assert.Equal(metadata.OrderBy(p => p.Key, StringComparer.Ordinal), doc.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(metadata.Count, SafeTensors.ReadMetadata(path).Count);
        Assert.Equal("pt", SafeTensors.ReadMetadata(path)["format"]);
    }

    [Fact]
    public void NoMetadataLoadsAsEmpty()
    {
        var path = _dir.File("nometa.safetensors");
        SafeTensors.Save(path, [SafeTensorsEntry.FromFloat32("a", [1], [1f])], new Dictionary<string, string>());
        Assert.DoesNotContain("__metadata__", Encoding.UTF8.GetString(File.ReadAllBytes(path)), StringComparison.Ordinal);
        Assert.Empty(SafeTensors.LoadDocument(path).Metadata);
    }

    [Fact]
    public void UnusualNamesRoundTrip()
    {
        string[] names = ["with \"quote\"", "back\\slash", "new\nline", "ctl\u0001\u001f", "é", "🎉", "a.b.c", " "];
        var path = _dir.File("names.safetensors");
        SafeTensors.Save(path, names.Select((n, i) => SafeTensorsEntry.FromFloat32(n, [1], [i])));

        var doc = SafeTensors.LoadDocument(path);
        for (var i = 0; i < names.Length; i++)
        {
            Assert.Equal(i, doc.Find(names[i])!.Float32Data![0]);
        }

        var header = Encoding.UTF8.GetString(File.ReadAllBytes(path));
        Assert.Contains("\"with \\\"quote\\\"\"", header, StringComparison.Ordinal);
        Assert.Contains("\"ctl\\u0001\\u001f\"", header, StringComparison.Ordinal);
        Assert.Contains("\"new\\nline\"", header, StringComparison.Ordinal);
        Assert.Contains("\"🎉\"", header, StringComparison.Ordinal);
    }

    [Fact]
    public void PublishedExampleIsWrittenByteForByte()
    {
        // The reference implementation's own serialisation test: one F32 tensor "attn.0" of shape [1,2,3]
        // holding 0..5; its header is exactly 64 bytes, so no padding.
        var path = _dir.File("attn.safetensors");
        SafeTensors.Save(path, [SafeTensorsEntry.FromFloat32("attn.0", [1, 2, 3], [0, 1, 2, 3, 4, 5])]);

        byte[] expected =
        [
            64, 0, 0, 0, 0, 0, 0, 0,
            .. "{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}"u8,
            0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64,
        ];
        Assert.Equal(expected, File.ReadAllBytes(path));
    }

    [Fact]
    public void EmptyFileMatchesReferenceWithAndWithoutMetadata()
    {
        using var plain = new MemoryStream();
        SafeTensors.Save(plain, []);
        Assert.Equal([8, 0, 0, 0, 0, 0, 0, 0, .. "{}      "u8], plain.ToArray());

        using var withMetadata = new MemoryStream();
        SafeTensors.Save(withMetadata, [], new Dictionary<string, string> { ["framework"] = "pt" });
        Assert.Equal([40, 0, 0, 0, 0, 0, 0, 0, .. "{\"__metadata__\":{\"framework\":\"pt\"}}     "u8], withMetadata.ToArray());

        withMetadata.Position = 0;
        var doc = SafeTensors.LoadDocument(withMetadata);
        Assert.Empty(doc.Tensors);
        Assert.Equal("pt", doc.Metadata["framework"]);
    }

    [Fact]
    public void HandBuiltFileMatchesWriterAndLoads()
    {
        const string Header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        Assert.Equal(54, Header.Length);
        var expected = new byte[8 + 56 + 8];
        BinaryPrimitives.WriteUInt64LittleEndian(expected, 56);
        Encoding.ASCII.GetBytes(Header + "  ").CopyTo(expected, 8);
        BinaryPrimitives.WriteSingleLittleEndian(expected.AsSpan(64), 1.5f);
        BinaryPrimitives.WriteSingleLittleEndian(expected.AsSpan(68), -2f);

        using var written = new MemoryStream();
        SafeTensors.Save(written, [SafeTensorsEntry.FromFloat32("a", [2], [1.5f, -2f])]);
        Assert.Equal(expected, written.ToArray());

        var path = _dir.File("hand.safetensors");
        File.WriteAllBytes(path, expected);
        var loaded = Assert.Single(SafeTensors.Load(path));
        Assert.Equal([1.5f, -2f], loaded.Float32Data!);
    }

    [Fact]
    public void OutputIsDeterministicF64FirstThenByName()
    {
        SafeTensorsEntry[] tensors =
        [
            SafeTensorsEntry.FromFloat32("b", [1], [2f]),
            SafeTensorsEntry.FromFloat64("z", [1], [3d]),
            SafeTensorsEntry.FromFloat32("a", [1], [1f]),
        ];
        using var first = new MemoryStream();
        using var second = new MemoryStream();
        SafeTensors.Save(first, tensors);
        SafeTensors.Save(second, tensors.Reverse());
        Assert.Equal(first.ToArray(), second.ToArray());

        var text = Encoding.UTF8.GetString(first.ToArray());
        Assert.Contains(
            "{\"z\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]}}",
            text,
            StringComparison.Ordinal);
        Assert.Equal(0, (first.Length - 16) % 8);

        first.Position = 0;
        Assert.Equal(["z", "a", "b"], SafeTensors.Load(first).Select(t => t.Name));
    }

    [Fact]
    public void LoaderAcceptsAnyOffsetOrderAndMetadataNull()
    {
        // Other writers may list tensors in any order; only the byte ranges matter.
        var file = SafeTensorsTestFiles.Build(
            "{\"__metadata__\":null,\"late\":{\"data_offsets\":[4,8],\"shape\":[],\"dtype\":\"F32\"},\"early\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
            8);
        var doc = SafeTensors.LoadDocument(new MemoryStream(file));
        Assert.Equal(["early", "late"], doc.Tensors.Select(t => t.Name));
        Assert.Empty(doc.Metadata);
    }

    [Fact]
    public void FactoriesValidateArguments()
    {
        Assert.Equal("shape", Assert.Throws<ArgumentException>(() => SafeTensorsEntry.FromFloat32("a", [2, 2], [1f, 2f, 3f])).ParamName);
        Assert.Equal("shape", Assert.Throws<ArgumentException>(() => SafeTensorsEntry.FromFloat64("a", [-1], [])).ParamName);
        Assert.Equal("shape", Assert.Throws<ArgumentException>(() => SafeTensorsEntry.FromFloat32("a", [int.MaxValue, int.MaxValue, int.MaxValue], [1f])).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => SafeTensorsEntry.FromFloat32("", [1], [1f])).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => SafeTensorsEntry.FromFloat32("__metadata__", [1], [1f])).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => SafeTensorsEntry.FromFloat32("bad\ud800", [1], [1f])).ParamName);
        Assert.Throws<ArgumentNullException>(() => SafeTensorsEntry.FromFloat32(null!, [1], [1f]));
        Assert.Throws<ArgumentNullException>(() => SafeTensorsEntry.FromFloat32("a", [1], null!));
        Assert.Equal(0, SafeTensorsEntry.FromFloat32("a", [int.MaxValue, 0], []).ElementCount);
    }

    [Fact]
    public void SaveRejectsDuplicateNamesAndBadMetadata()
    {
        var path = _dir.File("bad.safetensors");
        var duplicate = Assert.Throws<ArgumentException>(() => SafeTensors.Save(path,
            [SafeTensorsEntry.FromFloat32("a", [1], [1f]), SafeTensorsEntry.FromFloat64("a", [1], [1d])]));
        Assert.Equal("tensors", duplicate.ParamName);
        Assert.Contains("Duplicate", duplicate.Message, StringComparison.Ordinal);

        Assert.Equal("tensors", Assert.Throws<ArgumentException>(() => SafeTensors.Save(path, [null!])).ParamName);
        Assert.Equal("metadata", Assert.Throws<ArgumentException>(() =>
            SafeTensors.Save(path, [], new Dictionary<string, string> { ["k"] = null! })).ParamName);
        Assert.Equal("metadata", Assert.Throws<ArgumentException>(() =>
            SafeTensors.Save(path, [], new Dictionary<string, string> { ["k"] = "\udc00" })).ParamName);
        Assert.Empty(_dir.Entries());
    }

    [Fact]
    public void LoadStreamRequiresSeekableStream()
    {
        using var pipe = new NonSeekableStream(new byte[16]);
        Assert.Equal("source", Assert.Throws<ArgumentException>(() => SafeTensors.Load(pipe)).ParamName);
    }

    [Fact]
    public void LoadStreamReadsFromCurrentPosition()
    {
        using var stream = new MemoryStream();
        stream.Write("junk"u8);
        SafeTensors.Save(stream, [SafeTensorsEntry.FromFloat32("a", [1], [7f])]);
        stream.Position = 4;
        Assert.Equal(7f, Assert.Single(SafeTensors.Load(stream)).Float32Data![0]);
    }

    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
