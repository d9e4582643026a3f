namespace MetaLearn.Metric;

/// <summary>The fixed comparison of <see cref="EmbeddingDistanceRelation"/> on top of its learned embedding.</summary>
public enum RelationDistance
{
    /// <summary>Squared Euclidean distance (prototypical networks' metric).</summary>
    SquaredEuclidean,

    /// <summary>One minus cosine similarity (matching networks' metric).</summary>
    Cosine,
}
