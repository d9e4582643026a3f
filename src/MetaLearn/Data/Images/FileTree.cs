namespace MetaLearn.Data.Images;

/// <summary>
/// A read-only tree of files, either a folder on disk or a zip archive, addressed by relative paths with '/' separators.
/// </summary>
/// <remarks>Not thread-safe: a zip archive reads one entry at a time.</remarks>
internal abstract class FileTree : IDisposable
{
    /// <summary>The full path of the folder or zip file.</summary>
    public abstract string Location { get; }

    /// <summary>Every file, as a relative path, in ordinal order.</summary>
    public abstract IReadOnlyList<string> Files { get; }

    /// <summary>Every folder (including those only implied by a zip entry's path), as a relative path without a trailing '/'.</summary>
    public abstract IReadOnlyCollection<string> Folders { get; }

    /// <summary>Opens a folder, or a zip file, at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">Nothing exists at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a readable zip archive.</exception>
    public static FileTree Open(string path, string caller)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            return new FolderTree(full);
        }

        if (File.Exists(full))
        {
            return new ZipTree(full, caller);
        }

        throw new FileNotFoundException($"{caller}: no folder or zip file at '{full}'.", full);
    }

    /// <summary>Whether the tree holds the file <paramref name="relativePath"/>.</summary>
    public abstract bool Contains(string relativePath);

    /// <summary>The bytes of one file.</summary>
    /// <exception cref="FileNotFoundException">The tree has no such file.</exception>
    public abstract byte[] ReadAllBytes(string relativePath);

    /// <summary>
    /// What identifies the given files of this tree as they are now: for a zip, the archive's length, last-write time
    /// and a SHA-256 of its bytes and of the list of files; for a folder, the files' total length, latest write time and
    /// a SHA-256 of their paths, lengths and write times.
    /// </summary>
    public abstract TreeFingerprint Fingerprint(IReadOnlyList<string> files);

    /// <summary>A path that names the file for a person: the file on disk, or "archive.zip!/entry".</summary>
    public abstract string Describe(string relativePath);

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the archive, if any.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>The folders that hold <paramref name="relativePath"/>: "a/b/c.png" gives "a" and "a/b".</summary>
    public static IEnumerable<string> Parents(string relativePath)
    {
        for (int slash = relativePath.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = relativePath.IndexOf('/', slash + 1))
        {
            yield return relativePath[..slash];
        }
    }
}
