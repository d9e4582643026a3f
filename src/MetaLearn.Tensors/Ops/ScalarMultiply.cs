using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>x · c for a constant c.</summary>
internal sealed class ScalarMultiply(Tensor x, double c) : Node("mul_scalar", [x])
{
    public static Tensor Apply(Tensor x, double c)
    {
        var y = OpHelper.Unary(UnaryKind.MultiplyScalar, x, c);
        return GradMode.ShouldRecord(x) ? y.WithNode(new ScalarMultiply(x, c)) : y;
    }

    public override void Backward(Tensor output, Tensor g, Tensor?[] grads) => grads[0] = Apply(g, c);
}
