using MetaLearn.Tensors;

namespace MetaLearn.NN;

/// <summary>Factories for the standard meta-learning networks.</summary>
public static class Backbones
{
    /// <summary>
    /// A multilayer perceptron: Linear layers between consecutive <paramref name="sizes"/>, with <paramref name="activation"/>
    /// after every layer but the last, e.g. [1, 40, 40, 1] → Linear, ReLU, Linear, ReLU, Linear (MAML's sine-regression
    /// network). Children are named "0", "1", ... (activations included), so parameters read "0.weight", "2.weight", ....
    /// </summary>
    /// <param name="sizes">Layer widths, input first; at least two.</param>
    /// <param name="activation">The hidden activation.</param>
    /// <param name="generator">The random source of the initialization (PyTorch's default Linear init, layer by layer).</param>
    /// <param name="dtype">Element type of the parameters.</param>
    public static Sequential Mlp(int[] sizes, ActivationKind activation, Generator generator, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        ArgumentNullException.ThrowIfNull(generator);
        if (sizes.Length < 2)
        {
            throw new ArgumentException($"Mlp: need at least an input and an output size, got {sizes.Length} sizes.", nameof(sizes));
        }

        var layers = new List<Module>();
        for (int i = 0; i + 1 < sizes.Length; i++)
        {
            layers.Add(new Linear(sizes[i], sizes[i + 1], generator, dtype: dtype));
            if (i + 2 < sizes.Length)
            {
                layers.Add(new Activation(activation));
            }
        }

        return new Sequential([.. layers]);
    }

    /// <summary>
    /// The 4-block conv net of MAML's Omniglot experiments: 4 × [conv 3×3 (<paramref name="hiddenChannels"/> filters, padding 1)
    /// → BatchNorm2d → ReLU → MaxPool2d(2)] → flatten → Linear(features → <paramref name="ways"/>). A 28×28 image shrinks
    /// 28 → 14 → 7 → 3 → 1, so the head sees 64 features; with 5 ways the network has 112,261 parameters.
    /// </summary>
    /// <param name="ways">Number of classes.</param>
    /// <param name="generator">The random source of the initialization.</param>
    /// <param name="hiddenChannels">Filters per convolution.</param>
    /// <param name="imageSize">Input height and width.</param>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="dtype">Element type of the parameters.</param>
    /// <param name="statistics">The batch-norm policy; MAML's <see cref="BatchNormStatistics.Batch"/> by default.</param>
    public static ConvNet OmniglotConvNet(int ways, Generator generator, int hiddenChannels = 64, int imageSize = 28, int inChannels = 1,
        DType dtype = DType.Float32, BatchNormStatistics statistics = BatchNormStatistics.Batch)
        => new(ways, generator, 4, hiddenChannels, imageSize, inChannels, statistics, dtype);

    /// <summary>
    /// The body of the 4-block conv net without its head, as the embedding network of metric learners (prototypical
    /// networks, Siamese networks): <paramref name="blocks"/> × [conv 3×3 → BatchNorm2d → ReLU → MaxPool2d(2)] → flatten.
    /// An S×S image gives <see cref="ConvEmbeddingSize"/> features: 64 for 28×28 with 4 blocks of 64 filters (Snell et al. 2017).
    /// Children are "0".."blocks−1" (the blocks) and "blocks" (the flatten), so parameters read "0.conv.weight", ....
    /// </summary>
    /// <param name="generator">The random source of the initialization.</param>
    /// <param name="blocks">Number of conv blocks (at least 1).</param>
    /// <param name="hiddenChannels">Filters per convolution.</param>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="dtype">Element type of the parameters.</param>
    /// <param name="statistics">The batch-norm policy; <see cref="BatchNormStatistics.Batch"/> by default.</param>
    public static Sequential ConvEmbedding(Generator generator, int blocks = 4, int hiddenChannels = 64, int inChannels = 1,
        DType dtype = DType.Float32, BatchNormStatistics statistics = BatchNormStatistics.Batch)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentOutOfRangeException.ThrowIfLessThan(blocks, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        var layers = new Module[blocks + 1];
        for (int b = 0; b < blocks; b++)
        {
            layers[b] = new ConvBlock(b == 0 ? inChannels : hiddenChannels, hiddenChannels, generator, statistics, dtype: dtype);
        }

        layers[blocks] = new Flatten();
        return new Sequential(layers);
    }

    /// <summary>The length of a <see cref="ConvEmbedding"/> of an S×S image: hiddenChannels · ⌊S / 2^blocks⌋².</summary>
    /// <exception cref="ArgumentOutOfRangeException">The image shrinks to nothing.</exception>
    public static int ConvEmbeddingSize(int imageSize, int blocks = 4, int hiddenChannels = 64)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blocks, 1);
        int side = imageSize >> blocks;
        if (side < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(imageSize), imageSize,
                $"ConvEmbeddingSize: a {imageSize}×{imageSize} image shrinks to nothing after {blocks} pooling blocks.");
        }

        return hiddenChannels * side * side;
    }

    /// <summary>
    /// The same 4-block conv net sized for miniImageNet as in MAML: 32 filters, 84×84 RGB input (84 → 42 → 21 → 10 → 5, so
    /// the head sees 32·5·5 = 800 features).
    /// </summary>
    /// <param name="ways">Number of classes.</param>
    /// <param name="generator">The random source of the initialization.</param>
    /// <param name="hiddenChannels">Filters per convolution.</param>
    /// <param name="imageSize">Input height and width.</param>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="dtype">Element type of the parameters.</param>
    /// <param name="statistics">The batch-norm policy; MAML's <see cref="BatchNormStatistics.Batch"/> by default.</param>
    public static ConvNet MiniImageNetConvNet(int ways, Generator generator, int hiddenChannels = 32, int imageSize = 84, int inChannels = 3,
        DType dtype = DType.Float32, BatchNormStatistics statistics = BatchNormStatistics.Batch)
        => new(ways, generator, 4, hiddenChannels, imageSize, inChannels, statistics, dtype);

    /// <summary>
    /// ResNet-12 (Oreshkin et al., 2018; Lee et al., 2019), the backbone of most few-shot results since 2019: one
    /// <see cref="ResidualBlock"/> per width (64-160-320-640 by default: three 3×3 conv + batch norm + leaky ReLU(0.1), a
    /// 1×1 conv + batch norm shortcut, 2×2 max pooling), then <paramref name="pooling"/> and, with <paramref name="ways"/>, a
    /// linear head. An 84×84 image shrinks 84 → 42 → 21 → 10 → 5: 640 features under global average pooling, 640·5·5 = 16,000
    /// flattened. The body has 12,424,320 parameters: Σ over blocks of 10·in·out + 18·out² weights and 8·out batch-norm values.
    /// </summary>
    /// <remarks>
    /// With <paramref name="dropBlockProbability"/> &gt; 0 the last two blocks end with a <see cref="DropBlock"/> of
    /// <paramref name="dropBlockSize"/> and the earlier ones with a <see cref="Dropout"/> of the same probability, MetaOptNet's
    /// placement (0.1 and 5 for miniImageNet there; the rate is fixed here, not ramped). Block parameters read
    /// "features.{block}.conv1.weight", ..., "features.{block}.downsample.1.bias"; the head "classifier.weight", "classifier.bias".
    /// </remarks>
    /// <param name="generator">The random source of the initialization, then of the DropBlock and dropout masks.</param>
    /// <param name="ways">Outputs of a linear head, or null for none (the network then outputs its features).</param>
    /// <param name="widths">Output channels of each block, one block per entry; [64, 160, 320, 640] when null.</param>
    /// <param name="imageSize">Input height and width; each block halves it (rounding down), and it must stay ≥ 1.</param>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="pooling">How the last feature maps become a vector.</param>
    /// <param name="dropBlockProbability">The fraction dropped by DropBlock and dropout in training, in [0, 1); 0 (none) by default.</param>
    /// <param name="dropBlockSize">The side of DropBlock's squares (shrunk to the feature map where larger).</param>
    /// <param name="statistics">The batch-norm policy of every block; <see cref="BatchNormStatistics.Batch"/> by default.</param>
    /// <param name="dtype">Element type of the parameters.</param>
    public static ResNet ResNet12(Generator generator, int? ways = null, int[]? widths = null, int imageSize = 84, int inChannels = 3,
        FeaturePooling pooling = FeaturePooling.GlobalAverage, double dropBlockProbability = 0, int dropBlockSize = 5,
        BatchNormStatistics statistics = BatchNormStatistics.Batch, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(generator);
        widths ??= [64, 160, 320, 640];
        if (widths.Length == 0 || widths.Any(w => w < 1))
        {
            throw new ArgumentException($"ResNet12: need one positive width per block, got [{string.Join(", ", widths)}].", nameof(widths));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(imageSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        if (!(dropBlockProbability >= 0 && dropBlockProbability < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(dropBlockProbability), dropBlockProbability, "ResNet12: the drop probability must be in [0, 1).");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dropBlockSize);
        var blocks = new Module[widths.Length];
        int side = imageSize;
        for (int b = 0; b < widths.Length; b++)
        {
            side = ResidualBlock.OutputSize(side);
            if (side == 0)
            {
                throw new ArgumentOutOfRangeException(nameof(imageSize), imageSize,
                    $"ResNet12: a {imageSize}×{imageSize} image shrinks to nothing after {b + 1} of {widths.Length} pooling blocks.");
            }

            Module? drop = dropBlockProbability == 0 ? null
                : b >= widths.Length - 2 ? new DropBlock(dropBlockProbability, dropBlockSize, generator)
                : new Dropout(dropBlockProbability, generator);
            blocks[b] = new ResidualBlock(b == 0 ? inChannels : widths[b - 1], widths[b], generator, statistics, regularizer: drop, dtype: dtype);
        }

        return new ResNet(new Sequential(blocks), inChannels, imageSize, widths[^1], side, pooling, ways, generator, dtype);
    }

    /// <summary>
    /// A wide residual network WRN-<paramref name="depth"/>-<paramref name="widenFactor"/> (Zagoruyko &amp; Komodakis, 2016),
    /// WRN-28-10 by default as in the few-shot work of Rusu et al. (2019) and Mangla et al. (2020): a 3×3 convolution to 16
    /// channels, three groups of (depth − 4)/6 pre-activation <see cref="WideBlock"/>s of 16k, 32k and 64k channels (k the
    /// widen factor; the second and third groups start with stride 2), batch norm and ReLU, then <paramref name="pooling"/> and
    /// an optional linear head. 84×84 shrinks to 21×21 (640 features averaged); 32×32 to 8×8. WRN-28-10's body has
    /// 36,472,784 parameters (36,479,194, the paper's 36.5M, with a 10-way head).
    /// </summary>
    /// <remarks>
    /// Body parameters read "features.0.weight" (the first convolution), "features.{1..3n}.bn1.weight", ..., and
    /// "features.{3n+1}.weight" / ".bias" (the final batch norm).
    /// </remarks>
    /// <param name="generator">The random source of the initialization, then of the dropout masks.</param>
    /// <param name="ways">Outputs of a linear head, or null for none (the network then outputs its features).</param>
    /// <param name="depth">Convolutional depth: 6n + 4 for n blocks per group (28: 4 blocks).</param>
    /// <param name="widenFactor">The width multiplier k (at least 1).</param>
    /// <param name="dropout">Dropout probability between each block's convolutions, in [0, 1]; 0 (none) by default.</param>
    /// <param name="imageSize">Input height and width.</param>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="pooling">How the last feature maps become a vector.</param>
    /// <param name="statistics">The batch-norm policy; <see cref="BatchNormStatistics.Batch"/> by default.</param>
    /// <param name="dtype">Element type of the parameters.</param>
    public static ResNet WideResNet(Generator generator, int? ways = null, int depth = 28, int widenFactor = 10, double dropout = 0, int imageSize = 84,
        int inChannels = 3, FeaturePooling pooling = FeaturePooling.GlobalAverage, BatchNormStatistics statistics = BatchNormStatistics.Batch,
        DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(generator);
        if (depth < 10 || (depth - 4) % 6 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(depth), depth, "WideResNet: the depth must be 6n + 4 with n ≥ 1 (10, 16, 22, 28, ...).");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(widenFactor);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(imageSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        if (!(dropout >= 0 && dropout <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "WideResNet: the dropout probability must be in [0, 1].");
        }

        int perGroup = (depth - 4) / 6;
        var layers = new List<Module> { new Conv2d(inChannels, 16, 3, generator, padding: 1, bias: false, dtype: dtype) };
        int channels = 16, side = imageSize;
        for (int group = 0; group < 3; group++)
        {
            int width = 16 * widenFactor << group;
            for (int b = 0; b < perGroup; b++)
            {
                var block = new WideBlock(channels, width, group > 0 && b == 0 ? 2 : 1, generator, dropout, statistics, dtype);
                side = block.OutputSize(side);
                channels = width;
                layers.Add(block);
            }
        }

        layers.Add(new BatchNorm2d(channels, statistics, dtype: dtype));
        layers.Add(new Activation(ActivationKind.Relu));
        return new ResNet(new Sequential([.. layers]), inChannels, imageSize, channels, side, pooling, ways, generator, dtype);
    }
}
