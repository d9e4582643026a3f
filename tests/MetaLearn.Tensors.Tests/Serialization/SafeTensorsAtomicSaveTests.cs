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

    [Fact]
    public void ANextSaveRemovesTheTempFilesOfInterruptedSaves()
    {
        // What a save killed before its rename leaves: its temporary file, under today's fixed name or the earlier per-save one.
        var path = _dir.File("model.safetensors");
        File.WriteAllBytes(AtomicFile.TempPathFor(path), new byte[100_000]);
        File.WriteAllBytes(_dir.File(".model.safetensors.0123456789abcdef0123456789abcdef.tmp"), new byte[10]);
        File.WriteAllBytes(_dir.File(".other.safetensors.tmp"), new byte[10]);
        Assert.Equal(_dir.File(".model.safetensors.tmp"), AtomicFile.TempPathFor(path));

        SafeTensors.Save(path, [SafeTensorsEntry.FromFloat32("w", [1], [4f])]);

        Assert.Equal([".other.safetensors.tmp", "model.safetensors"], _dir.Entries());
        Assert.Equal([4f], Assert.Single(SafeTensors.Load(path)).Float32Data!);
    }

    [Fact]
    public void SavingIntoAMissingFolderNamesTheUsersPath()
    {
        var path = Path.Combine(_dir.Path, "missing", "model.safetensors");
        var ex = Assert.Throws<DirectoryNotFoundException>(() => SafeTensors.Save(path, [SafeTensorsEntry.FromFloat32("w", [1], [1f])]));
        Assert.Contains($"'{path}'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(".tmp", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_dir.Entries());
    }

    [Fact]
    public void AWriteThatFailsMidwayKeepsThePreviousFileAndRemovesItsTempFile()
    {
        var path = _dir.File("model.safetensors");
        SafeTensors.Save(path, [SafeTensorsEntry.FromFloat32("old", [3], [1f, 2f, 3f])]);
        var before = File.ReadAllBytes(path);

        var ex = Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[5000]);
            throw new IOException("disk full");
        }));

        Assert.Contains($"'{path}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("disk full", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(["model.safetensors"], _dir.Entries());
    }

    [Fact]
    public void ASaveRunningAtTheSameTimeFailsWithoutTouchingTheOthersTempFile()
    {
        var path = _dir.File("model.safetensors");
        var tempPath = AtomicFile.TempPathFor(path);
        using (var other = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            other.Write(new byte[] { 1, 2, 3 });
            other.Flush();
            var ex = Assert.Throws<IOException>(() => SafeTensors.Save(path, [SafeTensorsEntry.FromFloat32("w", [1], [1f])]));
            Assert.Contains($"'{path}'", ex.Message, StringComparison.Ordinal);
        }

        Assert.Equal([1, 2, 3], File.ReadAllBytes(tempPath));
        Assert.False(File.Exists(path));
    }

    private static IEnumerable<SafeTensorsEntry> ThrowsAfterFirst()
    {
        yield return SafeTensorsEntry.FromFloat32("new", [2], [5f, 6f]);
        throw new InvalidOperationException("boom");
    }
}
