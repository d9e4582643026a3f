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
    public static ConvNet OmniglotConvNet(int ways, Generator generator, int hiddenChannels = 64, int imageSize = 28, int inChannels = 1, DType dtype = DType.Float32, BatchNormStatistics statistics = BatchNormStatistics.Batch)
        => new(ways, generator, 4, hiddenChannels, imageSize, inChannels, statistics, dtype);

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
    public static ConvNet MiniImageNetConvNet(int ways, Generator generator, int hiddenChannels = 32, int imageSize = 84, int inChannels = 3, DType dtype = DType.Float32, BatchNormStatistics statistics = BatchNormStatistics.Batch)
        => new(ways, generator, 4, hiddenChannels, imageSize, inChannels, statistics, dtype);
}
