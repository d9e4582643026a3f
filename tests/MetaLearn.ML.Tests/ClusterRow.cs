using Microsoft.ML.Data;

namespace MetaLearn.ML.Tests;

/// <summary>A row as an application has it: a class name and two groups of raw features (4 informative, 12 distractors).</summary>
public sealed class ClusterRow
{
    public string Label { get; set; } = string.Empty;

    [VectorType(4)]
    public float[] Signal { get; set; } = [];

    [VectorType(12)]
    public float[] Noise { get; set; } = [];
}
