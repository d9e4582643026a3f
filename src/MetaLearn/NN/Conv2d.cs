using MetaLearn.Tensors;

namespace MetaLearn.NN;

/// <summary>
/// 2-d convolution (cross-correlation) of [N, C, H, W] inputs with a square kernel: weight [O, C/groups, k, k] and bias [O],
/// registered as "weight" and "bias" (PyTorch's names and layout), with optional dilation and channel groups.
/// </summary>
public sealed class Conv2d : Module
{
    /// <summary>
    /// Creates the layer with PyTorch's default initialization (<c>kaiming_uniform_(a=√5)</c>): weight and bias both
    /// U(−1/√fan_in, 1/√fan_in) with fan_in = (C/groups)·k·k, drawn weight first, then bias.
    /// </summary>
    /// <param name="inChannels">Input channels C.</param>
    /// <param name="outChannels">Output channels (filters) O.</param>
    /// <param name="kernelSize">Kernel height and width k.</param>
    /// <param name="generator">The random source of the initialization.</param>
    /// <param name="stride">Step between windows.</param>
    /// <param name="padding">Zeros added on every side.</param>
    /// <param name="bias">Whether to add a learned bias per output channel.</param>
    /// <param name="dtype">Element type of the parameters.</param>
    /// <param name="dilation">Spacing of the kernel taps (1: adjacent).</param>
    /// <param name="groups">Channel groups convolved separately; divides both channel counts (inChannels for depthwise).</param>
    public Conv2d(int inChannels, int outChannels, int kernelSize, Generator generator, int stride = 1, int padding = 0, bool bias = true,
        DType dtype = DType.Float32, int dilation = 1, int groups = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dilation);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(groups);
        ArgumentNullException.ThrowIfNull(generator);
        if (inChannels % groups != 0 || outChannels % groups != 0)
        {
            throw new ArgumentException($"Conv2d: {groups} groups must divide both {inChannels} input and {outChannels} output channels.", nameof(groups));
        }

        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        HasBias = bias;
        Dilation = dilation;
        Groups = groups;
        AddParameter("weight", Init.DefaultWeight(generator, [outChannels, inChannels / groups, kernelSize, kernelSize], dtype));
        if (bias)
        {
            AddParameter("bias", Init.DefaultBias(generator, inChannels / groups * kernelSize * kernelSize, outChannels, dtype));
        }
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Kernel height and width.</summary>
    public int KernelSize { get; }

    /// <summary>Step between windows.</summary>
    public int Stride { get; }

    /// <summary>Zero padding on every side.</summary>
    public int Padding { get; }

    /// <summary>Whether the layer adds a bias.</summary>
    public bool HasBias { get; }

    /// <summary>Spacing of the kernel taps.</summary>
    public int Dilation { get; }

    /// <summary>Channel groups convolved separately.</summary>
    public int Groups { get; }

    /// <summary>The output height (or width) for an input of height (or width) <paramref name="size"/>: ⌊(size + 2p − d(k − 1) − 1)/s⌋ + 1.</summary>
    public int OutputSize(int size) => ((size + (2 * Padding) - (Dilation * (KernelSize - 1)) - 1) / Stride) + 1;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, ParameterView parameters)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4 || input.Shape[1] != InChannels)
        {
            throw new ArgumentException($"Conv2d: expected input [N, {InChannels}, H, W], got {Shapes.Format(input)}.", nameof(input));
        }

        return Functional.Conv2d(input, parameters[0], HasBias ? parameters[1] : null, Stride, Padding, Dilation, Groups);
    }
}
