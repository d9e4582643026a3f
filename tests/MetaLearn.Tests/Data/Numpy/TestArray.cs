namespace MetaLearn.Tests.Data.Numpy;

/// <summary>A numpy array for the pickle and .npy writers: its dtype string ("|u1", "&lt;i8"), shape and raw bytes.</summary>
internal sealed record TestArray(string DType, long[] Shape, byte[] Data, bool FortranOrder = false)
{
    /// <summary>A uint8 array.</summary>
    public static TestArray UInt8(long[] shape, byte[] data) => new("|u1", shape, data);

    /// <summary>A little-endian int64 vector.</summary>
    public static TestArray Int64(params long[] values) => new("<i8", [values.Length], [.. values.SelectMany(BitConverter.GetBytes)]);
}
