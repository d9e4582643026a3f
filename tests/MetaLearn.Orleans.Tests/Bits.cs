using System.Runtime.InteropServices;
using MetaLearn.MetaLearning;
using MetaLearn.Tensors;

namespace MetaLearn.Orleans.Tests;

/// <summary>Bit-for-bit comparisons.</summary>
internal static class Bits
{
    public static byte[] Of(Tensor tensor)
        => tensor.DType == DType.Float32 ? MemoryMarshal.AsBytes(tensor.AsSpan<float>()).ToArray() : MemoryMarshal.AsBytes(tensor.AsSpan<double>()).ToArray();

    /// <summary>Every tensor of the two learners' states (parameters, optimizer moments, counters) has the same bits.</summary>
    public static void AssertSameState(IMetaLearner expected, IMetaLearner actual)
    {
        var a = expected.ExportState();
        var b = actual.ExportState();
        Assert.Equal(a.Select(p => p.Name), b.Select(p => p.Name));
        for (int i = 0; i < a.Count; i++)
        {
            Assert.True(Of(a[i].Value).SequenceEqual(Of(b[i].Value)), $"'{a[i].Name}' differs between the local and the distributed run.");
        }
    }

    public static void AssertSameResult(MetaBatchResult expected, MetaBatchResult actual)
    {
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Loss), BitConverter.DoubleToInt64Bits(actual.Loss));
        Assert.Equal(expected.TasksUsed, actual.TasksUsed);
        Assert.Equal(expected.SkippedTasks, actual.SkippedTasks);
        Assert.Equal(expected.Gradient.Count, actual.Gradient.Count);
        for (int p = 0; p < expected.Gradient.Count; p++)
        {
            Assert.True(Of(expected.Gradient[p]).SequenceEqual(Of(actual.Gradient[p])), $"Gradient {p} differs between the local and the distributed executor.");
        }
    }
}
