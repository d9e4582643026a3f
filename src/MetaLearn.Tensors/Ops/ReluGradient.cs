using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>
/// The vector-Jacobian product of leaky ReLU, g ⊙ (x &gt; 0 ? 1 : slope), fused into one pass. It is linear in g with a
/// piecewise-constant factor, so its own derivative is itself (with respect to g) and zero (with respect to x).
/// </summary>
internal sealed class ReluGradient(Tensor gradient, Tensor input, double slope) : Node("relu_backward", [gradient])
{
    public static Tensor Apply(Tensor gradient, Tensor input, double slope)
    {
        var y = Tensor.EmptyLike(gradient);
        if (gradient.DType == DType.Float32)
        {
            ActivationKernels.LeakyReluGradient<float>(gradient.F32, input.F32, y.F32, (float)slope);
        }
        else
        {
            ActivationKernels.LeakyReluGradient<double>(gradient.F64, input.F64, y.F64, slope);
        }

        return GradMode.ShouldRecord(gradient) ? y.WithNode(new ReluGradient(gradient, input, slope)) : y;
    }

    public override void Backward(Tensor output, Tensor g, Tensor?[] grads) => grads[0] = Apply(g, input, slope);
}
