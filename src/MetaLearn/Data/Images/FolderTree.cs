using System.Security.Cryptography;
using System.Text;

namespace MetaLearn.Data.Images;

/// <summary>A <see cref="FileTree"/> over a folder on disk.</summary>
internal sealed class FolderTree : FileTree
{
    private readonly string[] _files;
    private readonly HashSet<string> _fileSet;
    private readonly HashSet<string> _folders;

    /// <summary>Lists <paramref name="root"/> recursively.</summary>
    public FolderTree(string root)
    {
        Location = root;
        _files = [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(Relative).Order(StringComparer.Ordinal)];
        _fileSet = new HashSet<string>(_files, StringComparer.Ordinal);
        _folders = new HashSet<string>(Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories).Select(Relative), StringComparer.Ordinal);
    }

    /// <inheritdoc/>
    public override string Location { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<string> Files => _files;

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> Folders => _folders;

    /// <inheritdoc/>
    public override bool Contains(string relativePath) => _fileSet.Contains(relativePath);

    /// <inheritdoc/>
    public override byte[] ReadAllBytes(string relativePath)
    {
        if (!_fileSet.Contains(relativePath))
        {
            throw new FileNotFoundException($"No file '{relativePath}' in the folder '{Location}'.", Describe(relativePath));
        }

        return File.ReadAllBytes(Describe(relativePath));
    }

    /// <inheritdoc/>
    public override TreeFingerprint Fingerprint(IReadOnlyList<string> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long length = 0;
        long latest = 0;
        foreach (var file in files)
        {
            var info = new FileInfo(Describe(file));
            long ticks = info.LastWriteTimeUtc.Ticks;
            length += info.Length;
            latest = Math.Max(latest, ticks);
            hash.AppendData(Encoding.UTF8.GetBytes($"{file}\0{info.Length}\0{ticks}\n"));
        }

        return new TreeFingerprint(length, latest, hash.GetHashAndReset());
    }

    /// <inheritdoc/>
    public override string Describe(string relativePath) => Path.Combine(Location, relativePath.Replace('/', Path.DirectorySeparatorChar));

    private string Relative(string fullPath) => Path.GetRelativePath(Location, fullPath).Replace(Path.DirectorySeparatorChar, '/');
}
