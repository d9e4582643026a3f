using StbImageWriteSharp;

namespace SineRegression.Plotting;

/// <summary>Encodes a <see cref="Canvas"/> as a PNG file (via StbImageWriteSharp).</summary>
public static class PngWriter
{
    /// <summary>
    /// Writes <paramref name="canvas"/> to <paramref name="path"/> as an 8-bit RGB PNG. The image is first written
    /// to a temporary file in the same directory and then moved over the destination, so readers never see a
    /// partially written file. The directory is created if it does not exist.
    /// </summary>
    /// <param name="path">Destination file path.</param>
    /// <param name="canvas">Image to encode.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names a directory.</exception>
    public static void Write(string path, Canvas canvas)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(canvas);

        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath);
        var fileName = Path.GetFileName(fullPath);
        if (string.IsNullOrEmpty(directory) || string.IsNullOrEmpty(fileName))
        {
            throw new ArgumentException($"'{path}' is not a file path.", nameof(path));
        }

        Directory.CreateDirectory(directory);
        var tempPath = Path.Combine(directory, $".{fileName}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                new ImageWriter().WritePng(canvas.Pixels.ToArray(), canvas.Width, canvas.Height, ColorComponents.RedGreenBlue, stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(tempPath, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(tempPath);
            throw;
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
            // Best effort: the original exception is more useful than a cleanup failure.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }
}
