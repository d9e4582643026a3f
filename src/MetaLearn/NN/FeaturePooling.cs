namespace MetaLearn.NN;

/// <summary>How a <see cref="ResNet"/> turns its last [N, C, H, W] feature maps into one feature vector per example.</summary>
public enum FeaturePooling
{
    /// <summary>The mean of each channel over H and W: C features (640 for ResNet-12 and WRN-28-10), at any image size.</summary>
    GlobalAverage,

    /// <summary>The maps flattened: C·H·W features (ResNet-12 at 84×84: 640·5·5 = 16,000, as MetaOptNet feeds its heads).</summary>
    Flatten,
}
