using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>Hyperbolic tangent.</summary>
internal sealed class Tanh(Tensor x) : Node("tanh", [x])
{
    public static Tensor Apply(Tensor x)
    {
        var y = OpHelper.Unary(UnaryKind.Tanh, x);
        return GradMode.ShouldRecord(x) ? y.WithNode(new Tanh(x)) : y;
    }

    // d tanh(x)/dx = 1 − tanh²(x)
    public override void Backward(Tensor output, Tensor g, Tensor?[] grads)
        => grads[0] = Multiply.Apply(g, ScalarAdd.Apply(ScalarMultiply.Apply(Multiply.Apply(output, output), -1), 1));
}
