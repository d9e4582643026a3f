using MetaLearn.Tensors;

namespace MetaLearn.NN;

/// <summary>
/// The building block of the few-shot conv nets (Vinyals et al., 2016; Finn et al., 2017): 3×3 convolution with padding 1
/// → batch norm → ReLU → 2×2 max pooling. Children are named "conv", "norm", "relu" and "pool", so parameters read
/// "conv.weight", "conv.bias", "norm.weight", "norm.bias".
/// </summary>
public sealed class ConvBlock : Module
{
    /// <summary>Creates the block.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Filters of the convolution.</param>
    /// <param name="generator">The random source of the convolution's initialization.</param>
    /// <param name="statistics">The batch-norm policy (see <see cref="BatchNormStatistics"/>).</param>
    /// <param name="maxPool">Whether to end with 2×2 max pooling (halving height and width, rounding down).</param>
    /// <param name="dtype">Element type of the parameters.</param>
    public ConvBlock(int inChannels, int outChannels, Generator generator, BatchNormStatistics statistics = BatchNormStatistics.Batch, bool maxPool = true, DType dtype = DType.Float32)
    {
        Conv = AddModule("conv", new Conv2d(inChannels, outChannels, 3, generator, padding: 1, dtype: dtype));
        Norm = AddModule("norm", new BatchNorm2d(outChannels, statistics, dtype: dtype));
        AddModule("relu", new Activation(ActivationKind.Relu));
        if (maxPool)
        {
            AddModule("pool", new MaxPool2d(2));
        }
    }

    /// <summary>The convolution.</summary>
    public Conv2d Conv { get; }

    /// <summary>The batch normalization.</summary>
    public BatchNorm2d Norm { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, ParameterView parameters)
    {
        // Children: conv, norm, relu[, pool]. The ReLU (and the pooling) run fused into the batch norm's op.
        var x = Conv.Forward(input, ChildParameters(parameters, 0));
        return Children.Count > 3 && Children[3].Child is MaxPool2d pool
            ? Norm.ForwardReluMaxPool(x, ChildParameters(parameters, 1), pool)
            : Norm.Forward(x, ChildParameters(parameters, 1), relu: true);
    }
}
