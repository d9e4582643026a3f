using MetaLearn.NN;
using MetaLearn.Tensors;

namespace AgentPopulation;

/// <summary>Weights and features as plain arrays between grains.</summary>
internal static class Weights
{
    public static float[][] To(IReadOnlyList<Tensor> tensors) => [.. tensors.Select(t => t.AsSpan<float>().ToArray())];

    public static Tensor[] From(float[][] values, Module model)
        => [.. model.Parameters().Select((p, i) => Tensor.FromArray(values[i], [.. p.Shape]))];

    public static float[][] Rows(Tensor matrix)
    {
        int columns = matrix.Shape[1];
        var values = matrix.AsSpan<float>().ToArray();
        return [.. Enumerable.Range(0, matrix.Shape[0]).Select(r => values[(r * columns)..((r + 1) * columns)])];
    }

    public static Tensor Matrix(float[][] rows) => Tensor.FromArray([.. rows.SelectMany(r => r)], rows.Length, rows[0].Length);
}
