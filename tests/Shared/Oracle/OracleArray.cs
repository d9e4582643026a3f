using System.Text.Json;
using MetaLearn.Tensors;

namespace MetaLearn.Testing.Oracle;

/// <summary>A reference array of the libtorch cases: its shape and its row-major values.</summary>
internal sealed record OracleArray(int[] Shape, double[] Data)
{
    public static OracleArray Parse(JsonElement element) => new(
        [.. element.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32())],
        [.. element.GetProperty("data").EnumerateArray().Select(d => d.GetDouble())]);

    /// <summary>A float64 tensor (a scalar for the shape []).</summary>
    public Tensor ToTensor() => Tensor.FromSpan(Data, Shape);

    /// <summary>The values as integers (class labels, gather indices).</summary>
    public int[] ToIndices() => [.. Data.Select(d => (int)d)];
}
