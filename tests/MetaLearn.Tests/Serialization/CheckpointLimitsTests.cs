using System.Buffers.Binary;
using System.Text;
using MetaLearn.NN;
using MetaLearn.Serialization;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Serialization;

namespace MetaLearn.Tests.Serialization;

/// <summary>Selective, bounded loading (issue 14): only the tensors that will be used are read, after their sizes are checked.</summary>
public sealed class CheckpointLimitsTests : IDisposable
{
    private const long HugeBytes = 2_000_000_000;

    private readonly string _folder = Directory.CreateTempSubdirectory("metalearn-limits-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Sequential Model() => new(new Linear(2, 3, new Generator(1)));

    /// <summary>
    /// A file holding the model's tensors (zeros), one of them replaced by, or followed by, a [500000000] float tensor named
    /// <paramref name="hugeName"/>; with <paramref name="sparse"/> its 2 GB exist as a hole, otherwise the file stops after
    /// the small tensors and is 4 KB at most.
    /// </summary>
    private string HugeFile(string hugeName, bool sparse)
    {
        var entries = new List<string>();
        long offset = 0;
        foreach (var (name, shape, bytes) in new[] { ("0.weight", "3,2", 24L), ("0.bias", "3", 12L), (hugeName, "500000000", HugeBytes) })
        {
            if (name == hugeName && bytes != HugeBytes)
            {
                continue;
            }

            entries.Add($"\"{name}\":{{\"dtype\":\"F32\",\"shape\":[{shape}],\"data_offsets\":[{offset},{offset + bytes}]}}");
            offset += bytes;
        }

        var header = "{" + string.Join(",", entries) + "}";
        var headerBytes = Encoding.UTF8.GetBytes(header + new string(' ', (8 - (header.Length % 8)) % 8));
        var path = Path.Combine(_folder, hugeName + (sparse ? ".sparse" : ".small") + ".safetensors");
        using var stream = new FileStream(path, FileMode.CreateNew);
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)headerBytes.Length);
        stream.Write(prefix);
        stream.Write(headerBytes);
        var small = offset - HugeBytes;
        stream.Write(new byte[small]);
        if (sparse)
        {
            stream.SetLength(stream.Length + HugeBytes);
        }

        return path;
    }

    [Fact]
    public void AHugeTensorTheModuleDoesNotHaveIsNeverRead()
    {
        var path = HugeFile("unused", sparse: true);
        var model = Model();
        var before = GC.GetAllocatedBytesForCurrentThread();

        var report = ModuleCheckpoint.Load(model, path, strict: false);

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < (4 << 20), "the load allocated more than 4 MB");
        Assert.Equal(["unused"], report.Unused);
        Assert.Equal(["0.weight", "0.bias"], report.Copied);
        Assert.All(model.Parameters(), p => Assert.All(p.ToArray(), v => Assert.Equal(0f, v)));
    }

    [Fact]
    public void AHugeTensorTheModuleHasIsRejectedBySizeChecksBeforeAnyAllocation()
    {
        // 4 KB on disk: the declared bytes do not exist, and the header check says so, naming the tensor.
        var small = HugeFile("0.weight", sparse: false);
        Assert.True(new FileInfo(small).Length < 4096);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<SafeTensorsFormatException>(() => ModuleCheckpoint.Load(Model(), small, strict: false));
        Assert.Equal("0.weight", error.TensorName);
        Assert.Contains(small, error.Message, StringComparison.Ordinal);
        Assert.Contains("out of bounds", error.Message, StringComparison.Ordinal);

        // The bytes exist (as a hole) but the module's tensor has another shape: matched from the header, never read.
        var sparse = HugeFile("0.weight", sparse: true);
        var mismatch = Assert.Throws<InvalidDataException>(() => ModuleCheckpoint.Load(Model(), sparse));
        Assert.Contains("'0.weight' is F32 [500000000] in the file; the module expects F32 [3, 2]", mismatch.Message, StringComparison.Ordinal);
        Assert.Single(ModuleCheckpoint.Load(Model(), sparse, strict: false).Mismatched);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < (4 << 20), "the loads allocated more than 4 MB");
    }

    [Fact]
    public void AByteCapStopsTheLoadBeforeItAllocatesAndChangesNothing()
    {
        var path = Path.Combine(_folder, "model.safetensors");
        ModuleCheckpoint.Save(new Sequential(new Linear(2, 3, new Generator(2))), path);
        var model = Model();
        var before = model.Parameters().Select(p => p.ToArray()).ToArray();

        var error = Assert.Throws<SafeTensorsFormatException>(() => ModuleCheckpoint.Load(model, path, new ModuleLoadOptions { MaxTotalBytes = 30 }));
        Assert.Contains("cap of 30 bytes", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, model.Parameters().Select(p => p.ToArray()));

        Assert.Equal(2, ModuleCheckpoint.Load(model, path, new ModuleLoadOptions { MaxTotalBytes = 36 }).Copied.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ModuleLoadOptions { MaxTotalBytes = -1 });
    }
}
