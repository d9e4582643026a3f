using MetaLearn.Tensors;

namespace MetaLearn.NN;

/// <summary>
/// A residual few-shot backbone: a body of residual blocks ("features"), pooled to one vector per example
/// (<see cref="FeaturePooling"/>), then an optional linear head ("classifier"). Create it with
/// <see cref="Backbones.ResNet12"/> or <see cref="Backbones.WideResNet"/>.
/// </summary>
/// <remarks>
/// Without a head the output is the feature vector, the embedding metric learners (prototypical, matching, Siamese
/// networks) compare; with one it is the logits MAML-style learners adapt. Parameter paths start with
/// <see cref="FeaturesPrefix"/>, then the head's with <see cref="ClassifierPrefix"/>, and depth-first order puts the head
/// last (the final <see cref="HeadParameterCount"/> tensors), so ANIL-style selections and <c>Freeze(ResNet.FeaturesPrefix)</c>
/// work as with <see cref="ConvNet"/>.
/// </remarks>
public sealed class ResNet : Module
{
    /// <summary>The name prefix of the body's parameters ("features.").</summary>
    public const string FeaturesPrefix = "features.";

    /// <summary>The name prefix of the head's parameters ("classifier.").</summary>
    public const string ClassifierPrefix = "classifier.";

    /// <summary>Wraps a body whose output for an image of the expected size is [N, <paramref name="channels"/>, side, side].</summary>
    internal ResNet(Sequential features, int inChannels, int imageSize, int channels, int side, FeaturePooling pooling, int? ways,
        Generator generator, DType dtype)
    {
        if (!Enum.IsDefined(pooling))
        {
            throw new ArgumentOutOfRangeException(nameof(pooling), pooling, "ResNet: unknown feature pooling.");
        }

        if (ways is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ways), ways, "ResNet: the head needs at least one output; pass null for no head.");
        }

        InChannels = inChannels;
        ImageSize = imageSize;
        FeatureChannels = channels;
        FeatureSide = side;
        Pooling = pooling;
        FeatureCount = pooling == FeaturePooling.GlobalAverage ? channels : channels * side * side;
        Features = AddModule("features", features);
        Classifier = ways is { } outputs ? AddModule("classifier", new Linear(FeatureCount, outputs, generator, dtype: dtype)) : null;
    }

    /// <summary>The residual body ("features").</summary>
    public Sequential Features { get; }

    /// <summary>The linear head ("classifier"), or null when the network outputs its features.</summary>
    public Linear? Classifier { get; }

    /// <summary>The expected input channels.</summary>
    public int InChannels { get; }

    /// <summary>
    /// The image height and width the network was sized for (<see cref="FeatureCount"/> assumes it under
    /// <see cref="FeaturePooling.Flatten"/>).
    /// </summary>
    public int ImageSize { get; }

    /// <summary>Channels of the body's last feature maps (640 for ResNet-12 and WRN-28-10).</summary>
    public int FeatureChannels { get; }

    /// <summary>Height and width of the body's last feature maps at <see cref="ImageSize"/> (5 for ResNet-12 at 84×84).</summary>
    public int FeatureSide { get; }

    /// <summary>How the last feature maps become a vector.</summary>
    public FeaturePooling Pooling { get; }

    /// <summary>The length of the feature vector (the output without a head, the head's input with one).</summary>
    public int FeatureCount { get; }

    /// <summary>The number of head parameter tensors: 2 (weight and bias), or 0 without a head.</summary>
    public int HeadParameterCount => Classifier?.Parameters().Count ?? 0;

    /// <summary>The features [N, <see cref="FeatureCount"/>] of an [N, C, H, W] input, using <paramref name="parameters"/> (whole-model layout).</summary>
    /// <exception cref="ArgumentException">The list has the wrong number of tensors.</exception>
    public Tensor Embed(Tensor input, IReadOnlyList<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Count != Parameters().Count)
        {
            throw new ArgumentException($"ResNet.Embed: {parameters.Count} parameter tensors given, the model has {Parameters().Count}.", nameof(parameters));
        }

        return Embed(input, new ParameterView(parameters));
    }

    /// <summary>The features of an input using the model's own parameters.</summary>
    public Tensor Embed(Tensor input) => Embed(input, Parameters());

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, ParameterView parameters)
    {
        var features = Embed(input, parameters);
        return Classifier is { } head ? head.Forward(features, ChildParameters(parameters, 1)) : features;
    }

    private Tensor Embed(Tensor input, ParameterView parameters)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4 || input.Shape[1] != InChannels)
        {
            throw new ArgumentException($"ResNet: expected input [N, {InChannels}, H, W], got {Shapes.Format(input)}.", nameof(input));
        }

        var maps = Features.Forward(input, ChildParameters(parameters, 0));
        if (Pooling == FeaturePooling.GlobalAverage)
        {
            return maps.Mean([2, 3]);
        }

        var flat = maps.Flatten(1);
        if (Classifier is not null && flat.Shape[1] != FeatureCount)
        {
            throw new ArgumentException($"ResNet: flattened features of {Shapes.Format(input)} have {flat.Shape[1]} values, the head was sized "
                + $"for {FeatureCount} ({ImageSize}×{ImageSize} images); use global average pooling for other sizes.", nameof(input));
        }

        return flat;
    }
}
