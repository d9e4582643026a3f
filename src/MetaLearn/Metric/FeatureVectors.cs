using MetaLearn.Tensors;

namespace MetaLearn.Metric;

/// <summary>An embedding network's output as feature vectors: [N, D] as it is, a larger output flattened, optionally L2-normalized.</summary>
internal static class FeatureVectors
{
    /// <summary>[N, ...] → [N, D]; with <paramref name="normalize"/>, each row divided by max(‖row‖, 10⁻⁶).</summary>
    public static Tensor Of(Tensor output, bool normalize = false)
    {
        var features = output.Rank == 2 ? output : output.Flatten(1);
        return normalize ? features / features.Square().Sum(-1, keepDims: true).Maximum(Tensor.Scalar(1e-12, features.DType)).Sqrt() : features;
    }
}
