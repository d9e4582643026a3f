namespace MetaLearn.ML.Tests;

/// <summary>What the pipeline adds, read back with CreateEnumerable.</summary>
public sealed class ClusterPrediction
{
    public string Label { get; set; } = string.Empty;

    public string PredictedLabel { get; set; } = string.Empty;

    public float[] Score { get; set; } = [];
}
