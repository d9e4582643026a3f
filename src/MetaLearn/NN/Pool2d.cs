using MetaLearn.Tensors;

namespace MetaLearn.NN;

/// <summary>
/// 2-d pooling of [N, C, H, W] inputs over square windows (no parameters); the output size is ⌊(H + 2p − k)/s⌋ + 1.
/// <see cref="MaxPool2d"/> and <see cref="AvgPool2d"/> differ only in the function applied to each window.
/// </summary>
public abstract class Pool2d : Module
{
    /// <summary>Creates the layer.</summary>
    /// <param name="kernelSize">Window height and width.</param>
    /// <param name="stride">Step between windows; the kernel size when null (non-overlapping windows).</param>
    /// <param name="padding">Padding on every side (at most half the kernel).</param>
    protected Pool2d(int kernelSize, int? stride, int padding)
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
    internal override bool SupportsTaskBatching => false;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, ParameterView parameters)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4)
        {
            throw new ArgumentException($"{GetType().Name}: expected input [N, C, H, W], got {Shapes.Format(input)}.", nameof(input));
        }

        return Pool(input);
    }

    /// <summary>Pools a validated [N, C, H, W] input.</summary>
    protected abstract Tensor Pool(Tensor input);
}
