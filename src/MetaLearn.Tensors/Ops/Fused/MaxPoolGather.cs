using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>
/// Reads, for every pooling window, the value at its winning input: the adjoint of <see cref="MaxPoolScatter"/> (and its
/// derivative; the scatter is this op's derivative in turn).
/// </summary>
internal sealed class MaxPoolGather(Tensor x, Tensor offsets, int[] inputShape, Window window) : Node("max_pool2d_gather", [x])
{
    public static Tensor Apply(Tensor x, Tensor offsets, int[] inputShape, int[] outputShape, Window window)
    {
        var kernels = new MaxPoolKernels(inputShape[0] * inputShape[1], inputShape[2], inputShape[3], window);
        var y = Tensor.Empty((int[])outputShape.Clone(), x.DType);
        if (x.DType == DType.Float32)
        {
            kernels.Gather<float>(x.F32, offsets.F32, y.F32);
        }
        else
        {
            kernels.Gather<double>(x.F64, offsets.F64, y.F64);
        }

        return GradMode.ShouldRecord(x) ? y.WithNode(new MaxPoolGather(x, offsets, inputShape, window)) : y;
    }

    public override void Backward(Tensor output, Tensor g, Tensor?[] grads) => grads[0] = MaxPoolScatter.Apply(g, offsets, inputShape, window);
}
