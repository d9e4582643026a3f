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
}
