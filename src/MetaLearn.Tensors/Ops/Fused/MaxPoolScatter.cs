using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>
/// The backward of <see cref="MaxPooling"/>: each output gradient added to its window's winning input. Linear in g with
/// constant routing, so its derivative is <see cref="MaxPoolGather"/> with the same offsets.
/// </summary>
internal sealed class MaxPoolScatter(Tensor g, Tensor offsets, int[] inputShape, Window window) : Node("max_pool2d_backward", [g])
{
    public static Tensor Apply(Tensor g, Tensor offsets, int[] inputShape, Window window)
    {
        var kernels = new MaxPoolKernels(inputShape[0] * inputShape[1], inputShape[2], inputShape[3], window);
        var dx = Tensor.Empty(inputShape, g.DType);
        if (g.DType == DType.Float32)
        {
            kernels.Scatter<float>(g.F32, offsets.F32, dx.F32);
        }
        else
        {
            kernels.Scatter<double>(g.F64, offsets.F64, dx.F64);
        }

        return GradMode.ShouldRecord(g) ? dx.WithNode(new MaxPoolScatter(g, offsets, inputShape, window)) : dx;
    }

    public override void Backward(Tensor output, Tensor gradient, Tensor?[] grads)
        => grads[0] = MaxPoolGather.Apply(gradient, offsets, inputShape, g.ShapeArray, window);
}
