using MetaLearn.Data.Numpy;
using MetaLearn.Tests.Shared;

namespace MetaLearn.Tests.Data.Numpy;

public class NpyReaderTests
{
    [Fact]
    public void ReadsTheHeaderAndTheItemsInCOrder()
    {
        var bytes = NpyWriter.Npy(new TestArray("<i4", [2, 2], [.. new[] { 1, 3, -2, 4 }.SelectMany(BitConverter.GetBytes)], FortranOrder: true));
        var array = NpyReader.Read(new MemoryStream(bytes), "a.npy");
        Assert.Equal([2L, 2], array.Shape);
        Assert.Equal("<i4", array.DType.Name);
        // Stored column by column [1, 3 | -2, 4]: row-major it is 1, -2, 3, 4.
        Assert.Equal([1L, -2, 3, 4], array.ToInt64("a"));

        var text = NpyReader.Read(new MemoryStream(NpyWriter.Npy(new TestArray("<U3", [2], [.. "ab\0cde".SelectMany(c => BitConverter.GetBytes((int)c))]))), "t.npy");
        Assert.Equal(["ab", "cde"], text.ToStrings("t"));
        Assert.Equal("|u1 False 7", ParseHeader("{'descr': '|u1', 'fortran_order': False, 'shape': (7,), }"));
        Assert.Equal("<f8 True ", ParseHeader("{\"shape\": (), \"fortran_order\": True, \"descr\": \"<f8\"}"));
    }

    private static string ParseHeader(string header)
    {
        var (descr, fortran, shape) = NpyReader.ParseHeader(header, "h");
        return $"{descr} {fortran} {string.Join(",", shape)}";
    }

    [Theory]
    [InlineData("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", "object arrays")]
    [InlineData("{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': (1,), }", "structured")]
    [InlineData("{'descr': '<u1', 'shape': (1,), }", "'fortran_order' is missing")]
    [InlineData("{'descr': '<u1', 'fortran_order': False, 'shape': (-1,), }", "not a tuple")]
    [InlineData("not a dict", "not a dict literal")]
    public void ABadHeaderIsNamed(string header, string problem)
    {
        var padded = header + "\n";
        byte[] bytes = [0x93, .. "NUMPY"u8, 1, 0, .. BitConverter.GetBytes((ushort)padded.Length), .. padded.Select(c => (byte)c), 0];
        var error = Assert.Throws<InvalidDataException>(() => NpyReader.Read(new MemoryStream(bytes), "bad.npy"));
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("bad.npy", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedDataAndAMissingKeyAreNamed()
    {
        var bytes = NpyWriter.Npy(TestArray.UInt8([10], new byte[10]));
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => NpyReader.Read(new MemoryStream(bytes[..^3]), "x.npy")).Message,
            StringComparison.Ordinal);
        Assert.Contains("not a .npy", Assert.Throws<InvalidDataException>(() => NpyReader.Read(new MemoryStream("PK"u8.ToArray()), "x.npy")).Message,
            StringComparison.Ordinal);

        using var scratch = new ScratchFolder();
        var npz = scratch.PathOf("arrays.npz");
        NpyWriter.Npz(npz, new Dictionary<string, TestArray> { ["images"] = TestArray.UInt8([1], [9]), ["targets"] = TestArray.Int64(0) }, compressed: true);
        Assert.Equal([9], NpzFile.Read(npz, "images")[0].Data);
        var error = Assert.Throws<InvalidDataException>(() => NpzFile.Read(npz, "labels"));
        Assert.Contains("no array 'labels'; it has 'images', 'targets'", error.Message, StringComparison.Ordinal);
        File.WriteAllText(npz, "not a zip");
        Assert.Contains("not a .npz", Assert.Throws<InvalidDataException>(() => NpzFile.Read(npz, "images")).Message, StringComparison.Ordinal);
    }
}
