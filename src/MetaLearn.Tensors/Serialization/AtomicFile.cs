using System.Buffers;

namespace MetaLearn.Tensors.Serialization;

/// <summary>
/// Writes a file atomically: into a temporary file beside the target, flushed to disk, then renamed over the target, so
/// the target holds either its old contents or the new ones, never a mix.
/// </summary>
/// <remarks>
/// <para>
/// The temporary file's name is fixed by the target's (<c>.NAME.tmp</c> in the same folder), so a save killed before its
/// rename leaves a file that the next save to the same path truncates and reuses, and a successful save leaves nothing
/// behind. Temporary files of the earlier naming scheme (<c>.NAME.GUID.tmp</c>, one per save) are deleted too.
/// </para>
/// <para>
/// The temporary file is held with an exclusive lock while it is written, so a second save to the same path running at
/// the same time fails with an <see cref="IOException"/> instead of writing into the first one's file.
/// </para>
/// </remarks>
internal static class AtomicFile
{
    private const string TempSuffix = ".tmp";

    /// <summary>Length of a GUID in the "N" format, the variable part of the earlier temporary names.</summary>
    private const int LegacyIdLength = 32;

    private static readonly SearchValues<char> LowerHexDigits = SearchValues.Create("0123456789abcdef");

    /// <summary>The temporary file a save to <paramref name="path"/> writes before renaming it.</summary>
    public static string TempPathFor(string path)
    {
        var fullPath = Path.GetFullPath(path);
        return Path.Combine(Path.GetDirectoryName(fullPath)!, "." + Path.GetFileName(fullPath) + TempSuffix);
    }

    /// <summary>Writes <paramref name="path"/> with <paramref name="write"/>, atomically.</summary>
    /// <param name="path">The target file, as the user gave it (error messages quote it).</param>
    /// <param name="write">Writes the whole contents into the stream it is given.</param>
    /// <exception cref="IOException">The folder does not exist or the file could not be written or renamed; the message names
    /// <paramref name="path"/>.</exception>
    /// <exception cref="UnauthorizedAccessException">Access was denied; the message names <paramref name="path"/>.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath);
        var fileName = Path.GetFileName(fullPath);
        if (directory is null || fileName.Length == 0)
        {
            throw new ArgumentException($"The path '{path}' does not name a file.", nameof(path));
        }

        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Could not save '{path}': the folder '{directory}' does not exist.");
        }

        var tempPath = TempPathFor(fullPath);
        FileStream? stream = null;
        var renamed = false;
        try
        {
            // OpenOrCreate, not Create: the lock is taken before the file is truncated, so a concurrent save's data is never cut.
            stream = new FileStream(tempPath, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
            stream.SetLength(0);
            write(stream);
            stream.Flush(flushToDisk: true);
            stream.Dispose();
            File.Move(tempPath, fullPath, overwrite: true);
            renamed = true;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw Describe(error, path, tempPath);
        }
        finally
        {
            if (stream is not null)
            {
                stream.Dispose();
                if (!renamed)
                {
                    // Only a file this save opened (and so owned) is deleted, never another save's.
                    TryDelete(tempPath);
                }
            }
        }

        RemoveLegacyTempFiles(directory, fileName);
    }

    /// <summary>The same kind of exception, with a message that names the user's path first.</summary>
    private static Exception Describe(Exception error, string path, string tempPath)
    {
        var reason = error.Message.Replace(tempPath, $"its temporary file '{Path.GetFileName(tempPath)}'", StringComparison.Ordinal);
        var message = $"Could not save '{path}': {reason}";
        return error switch
        {
            UnauthorizedAccessException => new UnauthorizedAccessException(message, error),
            DirectoryNotFoundException => new DirectoryNotFoundException(message, error),
            PathTooLongException => new PathTooLongException(message, error),
            _ => new IOException(message, error),
        };
    }

    /// <summary>Deletes the <c>.NAME.GUID.tmp</c> files that saves made before temporary names were fixed per target.</summary>
    private static void RemoveLegacyTempFiles(string directory, string fileName)
    {
        var prefix = "." + fileName + ".";
        var legacyLength = prefix.Length + LegacyIdLength + TempSuffix.Length;
        string[] candidates;
        try
        {
            candidates = Directory.GetFiles(directory, ".*" + TempSuffix);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Cleanup is best effort: the save itself has succeeded.
            return;
        }

        foreach (var candidate in candidates)
        {
            var name = Path.GetFileName(candidate);
            if (name.Length == legacyLength
                && name.StartsWith(prefix, StringComparison.Ordinal)
                && !name.AsSpan(prefix.Length, LegacyIdLength).ContainsAnyExcept(LowerHexDigits))
            {
                TryDelete(candidate);
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the save's own outcome is what matters to the caller.
        }
        catch (UnauthorizedAccessException)
        {
            // Likewise.
        }
    }
}
