namespace MetaLearn.Data.Images;

/// <summary>What identifies the contents of a <see cref="FileTree"/> (see <see cref="FileTree.Fingerprint"/>).</summary>
/// <param name="Length">Bytes: the zip file's length, or the files' total length.</param>
/// <param name="LastWriteUtcTicks">The zip file's last-write time, or the latest of the files', in UTC ticks.</param>
/// <param name="Hash">A SHA-256 (32 bytes) over the contents or the listing.</param>
internal sealed record TreeFingerprint(long Length, long LastWriteUtcTicks, byte[] Hash);
