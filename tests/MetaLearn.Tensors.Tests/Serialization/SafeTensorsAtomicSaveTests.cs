using MetaLearn.Tensors.Serialization;

namespace MetaLearn.Tensors.Tests.Serialization;

public sealed class SafeTensorsAtomicSaveTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void SaveThatThrowsMidwayLeavesPreviousFileIntactAndNoTempFiles()
    {
        var path = _dir.File("model.safetensors");
        SafeTensors.Save(path, [SafeTensorsEntry.FromFloat32("old", [3], [1f, 2f, 3f])]);
        var before = File.ReadAllBytes(path);

        var ex = Assert.Throws<InvalidOperationException>(() => SafeTensors.Save(path, ThrowsAfterFirst()));
        Assert.Equal("boom", ex.Message);

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(["model.safetensors"], _dir.Entries());
    }

    [Fact]
    public void FailedRenameDeletesTempFile()
    {
        // The destination is a directory, so the final rename fails after the temp file was fully written.
        var path = _dir.File("occupied");
        Directory.CreateDirectory(path);

        var ex = Record.Exception(() => SafeTensors.Save(path, [SafeTensorsEntry.FromFloat32("a", [1], [1f])]));
        Assert.True(ex is IOException or UnauthorizedAccessException, ex?.ToString());
        Assert.Equal(["occupied"], _dir.Entries());
        Assert.Empty(Directory.GetFileSystemEntries(path));
    }

    [Fact]
    public void SaveReplacesExistingFile()
    {
        var path = _dir.File("model.safetensors");
        SafeTensors.Save(path, [SafeTensorsEntry.FromFloat32("old", [1], [1f])]);
        SafeTensors.Save(path, [SafeTensorsEntry.FromFloat64("new", [2], [2d, 3d])]);

        var loaded = Assert.Single(SafeTensors.Load(path));
        Assert.Equal("new", loaded.Name);
        Assert.Equal(["model.safetensors"], _dir.Entries());
    }

    [Fact]
    public void RejectedArgumentsTouchNothing()
    {
        var path = _dir.File("model.safetensors");
        SafeTensors.Save(path, [SafeTensorsEntry.FromFloat32("a", [1], [1f])]);
        var before = File.ReadAllBytes(path);

        Assert.Throws<ArgumentException>(() => SafeTensors.Save(path,
            [SafeTensorsEntry.FromFloat32("dup", [1], [1f]), SafeTensorsEntry.FromFloat32("dup", [1], [2f])]));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(["model.safetensors"], _dir.Entries());
    }

    private static IEnumerable<SafeTensorsEntry> ThrowsAfterFirst()
    {
        yield return SafeTensorsEntry.FromFloat32("new", [2], [5f, 6f]);
        throw new InvalidOperationException("boom");
    }
}
