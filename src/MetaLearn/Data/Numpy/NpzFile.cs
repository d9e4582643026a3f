using System.IO.Compression;

namespace MetaLearn.Data.Numpy;

/// <summary>
/// Reads arrays from a numpy .npz file: a zip archive (stored or deflated) of one "&lt;key&gt;.npy" entry per array, as
/// <c>numpy.savez</c> and <c>numpy.savez_compressed</c> write it.
/// </summary>
internal static class NpzFile
{
    /// <summary>The arrays named <paramref name="keys"/> in the .npz file at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">
    /// Not a zip archive, a key that is not in it (the message lists those that are), or an entry that is not a
    /// supported .npy array.
    /// </exception>
    public static NumpyArray[] Read(string path, params string[] keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ZipArchive archive;
        try
        {
            archive = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: not a .npz file (a zip archive of .npy arrays): {e.Message}", e);
        }

        using (archive)
        {
            var entries = archive.Entries.Where(e => e.FullName.EndsWith(".npy", StringComparison.Ordinal))
                .ToDictionary(e => e.FullName[..^4], StringComparer.Ordinal);
            var result = new NumpyArray[keys.Length];
            for (int k = 0; k < keys.Length; k++)
            {
                if (!entries.TryGetValue(keys[k], out var entry))
                {
                    throw new InvalidDataException($"{path}: the .npz file has no array '{keys[k]}'; it has "
                        + $"{(entries.Count == 0 ? "none" : string.Join(", ", entries.Keys.Order(StringComparer.Ordinal).Select(key => $"'{key}'")))}.");
                }

                using var stream = entry.Open();
                result[k] = NpyReader.Read(stream, $"{path}!/{entry.FullName}");
            }

            return result;
        }
    }
}
