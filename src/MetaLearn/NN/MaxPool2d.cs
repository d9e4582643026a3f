using MetaLearn.Tensors;

namespace MetaLearn.NN;

/// <summary>2-d max pooling of [N, C, H, W] inputs over square windows (no parameters); the output size is ⌊(H + 2p − k)/s⌋ + 1.</summary>
public sealed class MaxPool2d : Module
{
    /// <summary>Creates the layer.</summary>
    /// <param name="kernelSize">Window height and width.</param>
    /// <param name="stride">Step between windows; the kernel size when null (non-overlapping windows).</param>
    /// <param name="padding">Padding on every side, read as −∞ (at most half the kernel).</param>
    public MaxPool2d(int kernelSize, int? stride = null, int padding = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride ?? kernelSize, nameof(stride));
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        KernelSize = kernelSize;
        Stride = stride ?? kernelSize;
        Padding = padding;
    }

    /// <summary>Window height and width.</summary>
    public int KernelSize { get; }

    /// <summary>Step between windows.</summary>
    public int Stride { get; }

    /// <summary>Padding on every side.</summary>
    public int Padding { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, ParameterView parameters)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4)
        {
            throw new ArgumentException($"MaxPool2d: expected input [N, C, H, W], got {ShapeText.Format(input)}.", nameof(input));
        }

        return Functional.MaxPool2d(input, KernelSize, Stride, Padding);
    }
}
