using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace MetaLearn.Data.Images;

/// <summary>
/// A binary file of decoded images, so a second load does not decode every image again.
/// </summary>
/// <remarks>
/// <para>Format (version 1, little-endian):</para>
/// <list type="table">
/// <item><term>0</term><description>8 bytes: the magic "MLIMGCAC".</description></item>
/// <item><term>8</term><description>int32: format version, 1.</description></item>
/// <item><term>12</term><description>int32 ×3: height, width, channels of every image.</description></item>
/// <item><term>24</term><description>int32: flags, bit 0 set when pixels are inverted (ink = 1).</description></item>
/// <item><term>28</term><description>int32: the number of images N.</description></item>
/// <item><term>32</term><description>int64: the source's length in bytes (the zip file, or the sum of the image files).</description></item>
/// <item><term>40</term><description>int64: the source's last-write time, UTC ticks (the zip file, or the latest image file).</description></item>
/// <item><term>48</term><description>32 bytes: SHA-256 of the source (a zip's bytes and the list of images taken from it, or each image file's path,
/// length and write time).</description></item>
/// <item><term>80</term><description>N × channels × height × width float32 values, image after image, each [C, H, W].</description></item>
/// <item><term>end − 32</term><description>32 bytes: SHA-256 of every byte before it.</description></item>
/// </list>
/// <para>
/// The first 80 bytes are the key: a cache whose key differs from the one expected (other options, another source,
/// another version) is stale; one with another magic, another length or a checksum that does not match is corrupt.
/// Either way it is rebuilt, never trusted. It is written to a temporary file beside it, then renamed over it, so a
/// reader never sees half a file.
/// </para>
/// </remarks>
internal static class DecodedImageCache
{
    /// <summary>Bytes before the pixels.</summary>
    public const int HeaderLength = 80;

    private const int Version = 1;
    private const int HashLength = 32;
    private const int ChunkFloats = 1 << 18;
    private static readonly byte[] Magic = "MLIMGCAC"u8.ToArray();

    /// <summary>The key of a cache holding <paramref name="imageCount"/> images of <paramref name="source"/> decoded with <paramref name="options"/>.</summary>
    public static byte[] Header(ImageDecodeOptions options, int imageCount, TreeFingerprint source)
    {
        var header = new byte[HeaderLength];
        var span = header.AsSpan();
        Magic.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[8..], Version);
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], options.Height);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], options.Width);
        BinaryPrimitives.WriteInt32LittleEndian(span[20..], (int)options.Channels);
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], options.Invert ? 1 : 0);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], imageCount);
        BinaryPrimitives.WriteInt64LittleEndian(span[32..], source.Length);
        BinaryPrimitives.WriteInt64LittleEndian(span[40..], source.LastWriteUtcTicks);
        source.Hash.CopyTo(span[48..]);
        return header;
    }

    /// <summary>
    /// Fills <paramref name="pixels"/> from the cache at <paramref name="path"/> when its key is <paramref name="header"/>
    /// and its checksum holds, and says so with <see cref="ImageCacheOutcome.Hit"/>; otherwise says why it must be
    /// written (<paramref name="pixels"/> is then undefined).
    /// </summary>
    public static ImageCacheOutcome TryRead(string path, byte[] header, float[] pixels)
    {
        RequireLittleEndian();
        if (!File.Exists(path))
        {
            return ImageCacheOutcome.Created;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var found = new byte[HeaderLength];
        if (stream.ReadAtLeast(found, HeaderLength, throwOnEndOfStream: false) < HeaderLength || !found.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            return ImageCacheOutcome.ReplacedCorrupt;
        }

        if (!found.AsSpan().SequenceEqual(header))
        {
            return ImageCacheOutcome.ReplacedStale;
        }

        if (stream.Length != HeaderLength + (pixels.LongLength * sizeof(float)) + HashLength)
        {
            return ImageCacheOutcome.ReplacedCorrupt;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(found);
        for (long start = 0; start < pixels.LongLength; start += ChunkFloats)
        {
            var chunk = MemoryMarshal.AsBytes(pixels.AsSpan((int)start, (int)Math.Min(ChunkFloats, pixels.LongLength - start)));
            stream.ReadExactly(chunk);
            hash.AppendData(chunk);
        }

        var stored = new byte[HashLength];
        stream.ReadExactly(stored);
        return hash.GetHashAndReset().AsSpan().SequenceEqual(stored) ? ImageCacheOutcome.Hit : ImageCacheOutcome.ReplacedCorrupt;
    }

    /// <summary>Writes the cache atomically: a temporary file beside <paramref name="path"/>, then a rename over it.</summary>
    /// <exception cref="IOException">The cache cannot be written; the message names it.</exception>
    public static void Write(string path, byte[] header, float[] pixels)
    {
        RequireLittleEndian();
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = Path.Combine(folder, $"{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(folder);
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                stream.Write(header);
                hash.AppendData(header);
                for (long start = 0; start < pixels.LongLength; start += ChunkFloats)
                {
                    var chunk = MemoryMarshal.AsBytes(pixels.AsSpan((int)start, (int)Math.Min(ChunkFloats, pixels.LongLength - start)));
                    stream.Write(chunk);
                    hash.AppendData(chunk);
                }

                stream.Write(hash.GetHashAndReset());
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }

            throw new IOException($"Cannot write the decoded-image cache '{path}': {e.Message}", e);
        }
    }

    private static void RequireLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The decoded-image cache stores float32 values little-endian and is not supported on a "
                + "big-endian machine.");
        }
    }
}
