using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>e^x.</summary>
internal sealed class Exp(Tensor x) : Node("exp", [x])
{
    public static Tensor Apply(Tensor x)
    {
        var y = OpHelper.Unary(UnaryKind.Exp, x);
        return GradMode.ShouldRecord(x) ? y.WithNode(new Exp(x)) : y;
    }

    // d(e^x)/dx = e^x: the output itself, which under createGraph carries its own history.
    public override void Backward(Tensor output, Tensor g, Tensor?[] grads) => grads[0] = Multiply.Apply(g, output);
}
