using MetaLearn.Tensors;

namespace MetaLearn.NN;

/// <summary>
/// The residual block of ResNet-12 (Oreshkin et al., 2018; Lee et al., 2019): three 3×3 convolutions (padding 1, no bias),
/// each followed by batch norm, the first two by leaky ReLU; a shortcut of a 1×1 convolution and batch norm added to the
/// third; leaky ReLU, 2×2 max pooling, and optionally a regularizer (<see cref="DropBlock"/> or <see cref="Dropout"/>).
/// </summary>
/// <remarks>
/// Children are "conv1", "bn1", "conv2", "bn2", "conv3", "bn3", "downsample" (a <see cref="Sequential"/> of the 1×1
/// convolution and its batch norm) and, with a regularizer, "drop": MetaOptNet's names, so parameters read
/// "conv1.weight", "bn1.weight", "downsample.0.weight", "downsample.1.bias", .... Every tensor comes from the
/// <see cref="ParameterView"/> given to <see cref="Forward"/>, the residual sum included, so MAML differentiates through
/// the block with adapted weights. The convolutions keep PyTorch's default initialization: batch norm follows each, so
/// their scale does not change the output.
/// </remarks>
public sealed class ResidualBlock : Module
{
    /// <summary>Creates the block.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Filters of every convolution, the shortcut's included.</param>
    /// <param name="generator">The random source of the convolutions' initialization.</param>
    /// <param name="statistics">The batch-norm policy of the four batch norms.</param>
    /// <param name="negativeSlope">The leaky ReLUs' slope below zero (0.1 in ResNet-12).</param>
    /// <param name="regularizer">A parameter-free layer applied after the pooling (a <see cref="DropBlock"/>, a <see cref="Dropout"/>), or null.</param>
    /// <param name="dtype">Element type of the parameters.</param>
    public ResidualBlock(int inChannels, int outChannels, Generator generator, BatchNormStatistics statistics = BatchNormStatistics.Batch,
        double negativeSlope = 0.1, Module? regularizer = null, DType dtype = DType.Float32)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentNullException.ThrowIfNull(generator);
        if (!(negativeSlope >= 0 && negativeSlope < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(negativeSlope), negativeSlope, "ResidualBlock: the leaky ReLU slope must be in [0, 1).");
        }

        if (regularizer is not null && regularizer.Parameters().Count != 0)
        {
            throw new ArgumentException(
                $"ResidualBlock: the regularizer must have no parameters, {regularizer.GetType().Name} has {regularizer.Parameters().Count}.",
                nameof(regularizer));
        }

        InChannels = inChannels;
        OutChannels = outChannels;
        NegativeSlope = negativeSlope;
        AddModule("conv1", new Conv2d(inChannels, outChannels, 3, generator, padding: 1, bias: false, dtype: dtype));
        AddModule("bn1", new BatchNorm2d(outChannels, statistics, dtype: dtype));
        AddModule("conv2", new Conv2d(outChannels, outChannels, 3, generator, padding: 1, bias: false, dtype: dtype));
        AddModule("bn2", new BatchNorm2d(outChannels, statistics, dtype: dtype));
        AddModule("conv3", new Conv2d(outChannels, outChannels, 3, generator, padding: 1, bias: false, dtype: dtype));
        AddModule("bn3", new BatchNorm2d(outChannels, statistics, dtype: dtype));
        AddModule("downsample", new Sequential(
            new Conv2d(inChannels, outChannels, 1, generator, bias: false, dtype: dtype),
            new BatchNorm2d(outChannels, statistics, dtype: dtype)));
        Regularizer = regularizer is null ? null : AddModule("drop", regularizer);
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>The leaky ReLUs' slope below zero.</summary>
    public double NegativeSlope { get; }

    /// <summary>The layer applied after the pooling ("drop"), or null.</summary>
    public Module? Regularizer { get; }

    /// <summary>The output height (or width) for an input of <paramref name="size"/>: the pooling halves it, rounding down.</summary>
    public static int OutputSize(int size) => size / 2;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, ParameterView parameters)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4 || input.Shape[1] != InChannels)
        {
            throw new ArgumentException($"ResidualBlock: expected input [N, {InChannels}, H, W], got {Shapes.Format(input)}.", nameof(input));
        }

        if (input.Shape[2] < 2 || input.Shape[3] < 2)
        {
            throw new ArgumentException($"ResidualBlock: the 2×2 pooling needs H and W of at least 2, got {Shapes.Format(input)}.", nameof(input));
        }

        var x = Layer(0, input, parameters).LeakyRelu(NegativeSlope);
        x = Layer(2, x, parameters).LeakyRelu(NegativeSlope);
        x = Layer(4, x, parameters);
        var shortcut = Children[6].Child.Forward(input, ChildParameters(parameters, 6));
        var pooled = Functional.MaxPool2d((x + shortcut).LeakyRelu(NegativeSlope), 2);
        return Regularizer is { } drop ? drop.Forward(pooled, ChildParameters(parameters, 7)) : pooled;
    }

    /// <summary>Convolution number <paramref name="child"/> / 2 and the batch norm after it.</summary>
    private Tensor Layer(int child, Tensor x, ParameterView parameters)
    {
        var convolved = Children[child].Child.Forward(x, ChildParameters(parameters, child));
        return Children[child + 1].Child.Forward(convolved, ChildParameters(parameters, child + 1));
    }
}
