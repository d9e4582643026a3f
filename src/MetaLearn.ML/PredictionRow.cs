namespace MetaLearn.ML;

/// <summary>The row ML.NET's custom mapping writes: the predicted label and the class probabilities (names and size set by a schema definition).</summary>
internal sealed class PredictionRow
{
    public string PredictedLabel { get; set; } = string.Empty;

    public float[] Score { get; set; } = [];
}
