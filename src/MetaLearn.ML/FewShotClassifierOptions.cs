namespace MetaLearn.ML;

/// <summary>The columns and adaptation of a <see cref="FewShotClassifierEstimator"/>.</summary>
public sealed record FewShotClassifierOptions
{
    /// <summary>The input column of features: a known-size vector of float (ML.NET's "Features" by default).</summary>
    public string FeatureColumnName { get; init; } = "Features";

    /// <summary>The input column of labels, text (ML.NET's "Label" by default); read only by <see cref="FewShotClassifierEstimator.Fit"/>.</summary>
    public string LabelColumnName { get; init; } = "Label";

    /// <summary>The output column of the predicted label, text ("PredictedLabel").</summary>
    public string PredictedLabelColumnName { get; init; } = "PredictedLabel";

    /// <summary>
    /// The output column of class probabilities (softmax of the learner's scores), in
    /// <see cref="FewShotClassifierTransformer.Classes"/> order ("Score").
    /// </summary>
    public string ScoreColumnName { get; init; } = "Score";

    /// <summary>The shape of one example the model takes ([1, 28, 28] for an image); null for the feature vector as it is ([D]).</summary>
    public IReadOnlyList<int>? ExampleShape { get; init; }

    /// <summary>The adaptation steps after conditioning on the labelled rows (0 for metric learners; MAML's test-time steps).</summary>
    public int AdaptationSteps
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(AdaptationSteps));
            field = value;
        }
    }
}
