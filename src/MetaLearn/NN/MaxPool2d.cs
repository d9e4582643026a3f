using MetaLearn.Tensors;

namespace MetaLearn.NN;

/// <summary>2-d max pooling; padding reads −∞.</summary>
/// <param name="kernelSize">Window height and width.</param>
/// <param name="stride">Step between windows; the kernel size when null.</param>
/// <param name="padding">Padding on every side, read as −∞ (at most half the kernel).</param>
public sealed class MaxPool2d(int kernelSize, int? stride = null, int padding = 0) : Pool2d(kernelSize, stride, padding)
{
    /// <inheritdoc/>
    protected override Tensor Pool(Tensor input) => Functional.MaxPool2d(input, KernelSize, Stride, Padding);
}
