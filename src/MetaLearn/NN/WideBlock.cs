using MetaLearn.Tensors;

namespace MetaLearn.NN;

/// <summary>
/// The pre-activation basic block of wide residual networks (Zagoruyko &amp; Komodakis, 2016): batch norm → ReLU → 3×3
/// convolution (with the block's stride) → batch norm → ReLU → optional dropout → 3×3 convolution, added to the input, or,
/// when the width or stride changes, to a 1×1 strided convolution of the first activation.
/// </summary>
/// <remarks>
/// Children are "bn1", "conv1", "bn2", "conv2", then "convShortcut" when the shape changes and "dropout" when dropout is on:
/// the names of the reference PyTorch implementation (xternalz/WideResNet-pytorch), so parameters read "bn1.weight",
/// "conv1.weight", "convShortcut.weight", .... The convolutions have no bias. Every tensor comes from the
/// <see cref="ParameterView"/> given to <see cref="Forward"/>, the residual sum included.
/// </remarks>
public sealed class WideBlock : Module
{
    /// <summary>Creates the block.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="stride">Stride of the first convolution and the shortcut (1 or 2 in a WRN).</param>
    /// <param name="generator">The random source of the convolutions' initialization, then of the dropout masks.</param>
    /// <param name="dropout">Probability of zeroing an activation between the convolutions (0: no dropout layer).</param>
    /// <param name="statistics">The batch-norm policy.</param>
    /// <param name="dtype">Element type of the parameters.</param>
    public WideBlock(int inChannels, int outChannels, int stride, Generator generator, double dropout = 0,
        BatchNormStatistics statistics = BatchNormStatistics.Batch, DType dtype = DType.Float32)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        ArgumentNullException.ThrowIfNull(generator);
        InChannels = inChannels;
        OutChannels = outChannels;
        Stride = stride;
        AddModule("bn1", new BatchNorm2d(inChannels, statistics, dtype: dtype));
        AddModule("conv1", new Conv2d(inChannels, outChannels, 3, generator, stride, padding: 1, bias: false, dtype: dtype));
        AddModule("bn2", new BatchNorm2d(outChannels, statistics, dtype: dtype));
        AddModule("conv2", new Conv2d(outChannels, outChannels, 3, generator, padding: 1, bias: false, dtype: dtype));
        if (HasShortcutConvolution)
        {
            AddModule("convShortcut", new Conv2d(inChannels, outChannels, 1, generator, stride, bias: false, dtype: dtype));
        }

        Dropout = dropout == 0 ? null : AddModule("dropout", new Dropout(dropout, generator));
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Stride of the first convolution and the shortcut.</summary>
    public int Stride { get; }

    /// <summary>Whether the shortcut is a 1×1 convolution (the width or the stride changes) rather than the identity.</summary>
    public bool HasShortcutConvolution => InChannels != OutChannels || Stride != 1;

    /// <summary>The dropout between the convolutions, or null.</summary>
    public Dropout? Dropout { get; }

    /// <summary>The output height (or width) for an input of <paramref name="size"/>: ⌊(size − 1) / stride⌋ + 1.</summary>
    public int OutputSize(int size) => ((size - 1) / Stride) + 1;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, ParameterView parameters)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4 || input.Shape[1] != InChannels)
        {
            throw new ArgumentException($"WideBlock: expected input [N, {InChannels}, H, W], got {Shapes.Format(input)}.", nameof(input));
        }

        var activated = ((BatchNorm2d)Children[0].Child).Forward(input, ChildParameters(parameters, 0), relu: true);
        var x = Children[1].Child.Forward(activated, ChildParameters(parameters, 1));
        x = ((BatchNorm2d)Children[2].Child).Forward(x, ChildParameters(parameters, 2), relu: true);
        if (Dropout is { } dropout)
        {
            x = dropout.Forward(x, ChildParameters(parameters, Children.Count - 1));
        }

        x = Children[3].Child.Forward(x, ChildParameters(parameters, 3));
        var shortcut = HasShortcutConvolution ? Children[4].Child.Forward(activated, ChildParameters(parameters, 4)) : input;
        return x + shortcut;
    }
}
