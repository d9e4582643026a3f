using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace MetaLearn.Data.Images;

/// <summary>A <see cref="FileTree"/> over a zip archive (entries named with '\' are read as '/').</summary>
internal sealed class ZipTree : FileTree
{
    private readonly ZipArchive _archive;
    private readonly Dictionary<string, ZipArchiveEntry> _entries = new(StringComparer.Ordinal);
    private readonly string[] _files;
    private readonly HashSet<string> _folders = new(StringComparer.Ordinal);

    /// <summary>Opens the archive at <paramref name="zipPath"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a zip archive.</exception>
    public ZipTree(string zipPath, string caller)
    {
        Location = zipPath;
        try
        {
            _archive = ZipFile.OpenRead(zipPath);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{caller}: '{zipPath}' is neither a folder nor a readable zip archive ({e.Message}).", e);
        }

        foreach (var entry in _archive.Entries)
        {
            var name = entry.FullName.Replace('\\', '/');
            if (name.EndsWith('/'))
            {
                _folders.Add(name.TrimEnd('/'));
                continue;
            }

            _entries[name] = entry;
            _folders.UnionWith(Parents(name));
        }

        _files = [.. _entries.Keys.Order(StringComparer.Ordinal)];
    }

    /// <inheritdoc/>
    public override string Location { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<string> Files => _files;

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> Folders => _folders;

    /// <inheritdoc/>
    public override bool Contains(string relativePath) => _entries.ContainsKey(relativePath);

    /// <inheritdoc/>
    public override byte[] ReadAllBytes(string relativePath)
    {
        if (!_entries.TryGetValue(relativePath, out var entry))
        {
            throw new FileNotFoundException($"No entry '{relativePath}' in the zip archive '{Location}'.", Describe(relativePath));
        }

        try
        {
            using var stream = entry.Open();
            var bytes = new byte[entry.Length];
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new InvalidDataException($"The zip entry '{Describe(relativePath)}' cannot be read: {e.Message}", e);
        }
    }

    /// <inheritdoc/>
    public override TreeFingerprint Fingerprint(IReadOnlyList<string> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (var stream = new FileStream(Location, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
        {
            var buffer = new byte[1 << 16];
            for (int read; (read = stream.Read(buffer)) > 0;)
            {
                hash.AppendData(buffer, 0, read);
            }
        }

        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(file + "\n"));
        }

        var info = new FileInfo(Location);
        return new TreeFingerprint(info.Length, info.LastWriteTimeUtc.Ticks, hash.GetHashAndReset());
    }

    /// <inheritdoc/>
    public override string Describe(string relativePath) => $"{Location}!/{relativePath}";

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _archive.Dispose();
        }

        base.Dispose(disposing);
    }
}
