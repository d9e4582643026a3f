using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>x ^ p for a constant exponent p.</summary>
internal sealed class ScalarPower(Tensor x, double p) : Node("pow_scalar", [x])
{
    public static Tensor Apply(Tensor x, double p)
    {
        var y = OpHelper.Unary(UnaryKind.PowScalar, x, p);
        return GradMode.ShouldRecord(x) ? y.WithNode(new ScalarPower(x, p)) : y;
    }

    // d(x^p)/dx = p·x^(p−1)
    public override void Backward(Tensor output, Tensor g, Tensor?[] grads)
        => grads[0] = p == 0 ? null : Multiply.Apply(g, ScalarMultiply.Apply(Apply(Inputs[0], p - 1), p));
}
