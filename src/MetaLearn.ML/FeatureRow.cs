using Microsoft.ML.Data;

namespace MetaLearn.ML;

/// <summary>The row ML.NET's custom mapping reads: the feature vector (its column name and size are set by a schema definition).</summary>
internal sealed class FeatureRow
{
    public VBuffer<float> Features { get; set; }
}
