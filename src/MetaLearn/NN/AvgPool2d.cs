using MetaLearn.Tensors;

namespace MetaLearn.NN;

/// <summary>2-d average pooling; padding counts as zeros in the average, as PyTorch does by default.</summary>
/// <param name="kernelSize">Window height and width.</param>
/// <param name="stride">Step between windows; the kernel size when null.</param>
/// <param name="padding">Padding on every side, counted as zeros (at most half the kernel).</param>
public sealed class AvgPool2d(int kernelSize, int? stride = null, int padding = 0) : Pool2d(kernelSize, stride, padding)
{
    /// <inheritdoc/>
    protected override Tensor Pool(Tensor input) => Functional.AvgPool2d(input, KernelSize, Stride, Padding);
}
