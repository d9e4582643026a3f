using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace MetaLearn.Tests.Data.Numpy;

/// <summary>Writes arrays as numpy's format 1.0 .npy (numpy/lib/format.py) and .npz (a zip of them, as numpy.savez).</summary>
internal static class NpyWriter
{
    /// <summary>The .npy bytes of <paramref name="array"/>: magic, version 1.0, a header padded with spaces to a multiple of 64 bytes and ended by '\n', the data.</summary>
    public static byte[] Npy(TestArray array)
    {
        var shape = array.Shape.Length == 1 ? $"({array.Shape[0]},)" : $"({string.Join(", ", array.Shape.Select(d => d.ToString(CultureInfo.InvariantCulture)))})";
        var dict = $"{{'descr': '{array.DType}', 'fortran_order': {(array.FortranOrder ? "True" : "False")}, 'shape': {shape}, }}";
        int total = 10 + dict.Length + 1;
        var header = dict + new string(' ', (64 - (total % 64)) % 64) + "\n";
        return [0x93, .. "NUMPY"u8, 1, 0, .. BitConverter.GetBytes((ushort)header.Length), .. Encoding.Latin1.GetBytes(header), .. array.Data];
    }

    /// <summary>Writes a .npz at <paramref name="path"/> holding one "key.npy" per array, deflated when <paramref name="compressed"/> (numpy.savez_compressed).</summary>
    public static void Npz(string path, IReadOnlyDictionary<string, TestArray> arrays, bool compressed = false)
    {
        using var archive = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (key, array) in arrays)
        {
            var entry = archive.CreateEntry($"{key}.npy", compressed ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
            using var stream = entry.Open();
            stream.Write(Npy(array));
        }
    }
}
