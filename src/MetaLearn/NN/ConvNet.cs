using MetaLearn.Tensors;

namespace MetaLearn.NN;

/// <summary>
/// The "Conv-4" few-shot backbone (Vinyals et al., 2016; Finn et al., 2017): a feature extractor of <see cref="ConvBlock"/>s
/// followed by a linear classifier head. Create it with <see cref="Backbones.OmniglotConvNet"/> or
/// <see cref="Backbones.MiniImageNetConvNet"/>.
/// </summary>
/// <remarks>
/// Parameter paths are "features.{block}.conv.weight", "features.{block}.conv.bias", "features.{block}.norm.weight",
/// "features.{block}.norm.bias" for blocks 0.., then "classifier.weight" and "classifier.bias". Depth-first order puts the
/// head last: the final <see cref="HeadParameterCount"/> tensors of <see cref="Module.Parameters"/> are the head, so ANIL
/// adapts only those, and
/// <c>Freeze(ConvNet.FeaturesPrefix)</c> freezes the body for feature transfer.
/// </remarks>
public sealed class ConvNet : Module
{
    /// <summary>The name prefix of the feature extractor's parameters ("features.").</summary>
    public const string FeaturesPrefix = "features.";

    /// <summary>The name prefix of the head's parameters ("classifier.").</summary>
    public const string ClassifierPrefix = "classifier.";

    /// <summary>Creates the network.</summary>
    /// <param name="ways">Number of classes (outputs of the head).</param>
    /// <param name="generator">The random source of the initialization (blocks in order, then the head).</param>
    /// <param name="blocks">Number of conv blocks.</param>
    /// <param name="hiddenChannels">Filters of every convolution.</param>
    /// <param name="imageSize">Input height and width; each block halves it (rounding down), and it must stay ≥ 1.</param>
    /// <param name="inChannels">Input channels (1 for Omniglot, 3 for miniImageNet).</param>
    /// <param name="statistics">The batch-norm policy of every block.</param>
    /// <param name="dtype">Element type of the parameters.</param>
    public ConvNet(int ways, Generator generator, int blocks = 4, int hiddenChannels = 64, int imageSize = 28, int inChannels = 1,
        BatchNormStatistics statistics = BatchNormStatistics.Batch, DType dtype = DType.Float32)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ways);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blocks);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(imageSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentNullException.ThrowIfNull(generator);
        int size = imageSize;
        var layers = new Module[blocks];
        for (int b = 0; b < blocks; b++)
        {
            layers[b] = new ConvBlock(b == 0 ? inChannels : hiddenChannels, hiddenChannels, generator, statistics, dtype: dtype);
            size /= 2;
            if (size == 0)
            {
                throw new ArgumentOutOfRangeException(nameof(imageSize), imageSize,
                    $"ConvNet: a {imageSize}×{imageSize} image shrinks to nothing after {b + 1} of {blocks} pooling blocks.");
            }
        }

        ImageSize = imageSize;
        InChannels = inChannels;
        FeatureCount = hiddenChannels * size * size;
        Features = AddModule("features", new Sequential(layers));
        Classifier = AddModule("classifier", new Linear(FeatureCount, ways, generator, dtype: dtype));
        HeadParameterStart = Features.Parameters().Count;
    }

    /// <summary>The conv blocks, applied in order ("features").</summary>
    public Sequential Features { get; }

    /// <summary>The linear head ("classifier").</summary>
    public Linear Classifier { get; }

    /// <summary>The expected input height and width.</summary>
    public int ImageSize { get; }

    /// <summary>The expected input channels.</summary>
    public int InChannels { get; }

    /// <summary>The length of the flattened feature vector fed to the head (hidden channels × final height × final width).</summary>
    public int FeatureCount { get; }

    /// <summary>Index in <see cref="Module.Parameters"/> of the head's first parameter (its weight); the body is [0, this).</summary>
    internal int HeadParameterStart { get; }

    /// <summary>The number of head parameter tensors (2: weight and bias).</summary>
    public int HeadParameterCount => Classifier.Parameters().Count;

    /// <summary>The flattened features [N, <see cref="FeatureCount"/>] of an [N, C, H, W] input, using <paramref name="parameters"/> (whole-model
    /// layout).</summary>
    public Tensor Embed(Tensor input, IReadOnlyList<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Count != Parameters().Count)
        {
            throw new ArgumentException($"ConvNet.Embed: {parameters.Count} parameter tensors given, the model has {Parameters().Count}.", nameof(parameters));
        }

        return Embed(input, new ParameterView(parameters));
    }

    /// <summary>The flattened features of an input using the model's own parameters.</summary>
    public Tensor Embed(Tensor input) => Embed(input, Parameters());

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, ParameterView parameters)
        => Classifier.Forward(Embed(input, parameters), ChildParameters(parameters, 1));

    private Tensor Embed(Tensor input, ParameterView parameters)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4 || input.Shape[1] != InChannels)
        {
            throw new ArgumentException($"ConvNet: expected input [N, {InChannels}, H, W], got {Shapes.Format(input)}.", nameof(input));
        }

        return Features.Forward(input, ChildParameters(parameters, 0)).Flatten(1);
    }
}
