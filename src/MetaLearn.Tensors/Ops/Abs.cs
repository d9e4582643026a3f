using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>|x|. The derivative at 0 is taken as 0.</summary>
internal sealed class Abs(Tensor x) : Node("abs", [x])
{
    public static Tensor Apply(Tensor x)
    {
        var y = OpHelper.Unary(UnaryKind.Abs, x);
        return GradMode.ShouldRecord(x) ? y.WithNode(new Abs(x)) : y;
    }

    public override void Backward(Tensor output, Tensor g, Tensor?[] grads)
        => grads[0] = Multiply.Apply(g, OpHelper.Constant(UnaryKind.Sign, Inputs[0]));
}
