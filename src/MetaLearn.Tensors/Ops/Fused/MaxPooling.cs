using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>
/// 2-d max pooling of x [N, C, H, W] that records which input won each window. The gradient goes to that input alone (on
/// ties, the first; PyTorch's choice), through <see cref="MaxPoolScatter"/>, whose adjoint <see cref="MaxPoolGather"/> closes
/// every order. Nothing input-sized is kept: only the winners' offsets, one value per output.
/// </summary>
internal sealed class MaxPooling(Tensor x, Tensor offsets, Window window) : Node("max_pool2d", [x])
{
    /// <summary>The pooling; the caller has checked the window.</summary>
    public static Tensor Apply(Tensor x, Window window)
    {
        var s = x.ShapeArray;
        var kernels = new MaxPoolKernels(s[0] * s[1], s[2], s[3], window);
        int[] shape = [s[0], s[1], kernels.OutH, kernels.OutW];
        var y = Tensor.Empty(shape, x.DType);
        var offsets = Tensor.Empty(shape, x.DType);
        if (x.DType == DType.Float32)
        {
            kernels.Forward<float>(x.F32, y.F32, offsets.F32);
        }
        else
        {
            kernels.Forward<double>(x.F64, y.F64, offsets.F64);
        }

        return GradMode.ShouldRecord(x) ? y.WithNode(new MaxPooling(x, offsets, window)) : y;
    }

    public override void Backward(Tensor output, Tensor g, Tensor?[] grads) => grads[0] = MaxPoolScatter.Apply(g, offsets, x.ShapeArray, window);
}
