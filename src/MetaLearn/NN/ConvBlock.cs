using MetaLearn.Tensors;

namespace MetaLearn.NN;

/// <summary>
/// The building block of the few-shot conv nets (Vinyals et al., 2016; Finn et al., 2017): 3×3 convolution with padding 1
/// → batch norm → ReLU → 2×2 max pooling. Its children are "conv" and "norm", so parameters read "conv.weight",
/// "conv.bias", "norm.weight", "norm.bias" (PyTorch's names for the same block); the ReLU and the pooling have no
/// parameters and run fused into the batch norm's op (<see cref="Functional.BatchNormReluMaxPool2d(Tensor, Tensor, Tensor, int, int?, int, double)"/>),
/// which keeps only its input, pooled output and the winners' offsets for the backward pass.
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
    public ConvBlock(int inChannels, int outChannels, Generator generator, BatchNormStatistics statistics = BatchNormStatistics.Batch,
        bool maxPool = true, DType dtype = DType.Float32)
    {
        Conv = AddModule("conv", new Conv2d(inChannels, outChannels, 3, generator, padding: 1, dtype: dtype));
        Norm = AddModule("norm", new BatchNorm2d(outChannels, statistics, dtype: dtype));
        Pool = maxPool ? new MaxPool2d(2) : null;
    }

    /// <summary>The convolution.</summary>
    public Conv2d Conv { get; }

    /// <summary>The batch normalization.</summary>
    public BatchNorm2d Norm { get; }

    /// <summary>The 2×2 max pooling after the ReLU, or null when the block does not pool.</summary>
    public MaxPool2d? Pool { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, ParameterView parameters)
    {
        var x = Conv.Forward(input, ChildParameters(parameters, 0));
        return Pool is { } pool
            ? Norm.ForwardReluMaxPool(x, ChildParameters(parameters, 1), pool)
            : Norm.Forward(x, ChildParameters(parameters, 1), relu: true);
    }
}
