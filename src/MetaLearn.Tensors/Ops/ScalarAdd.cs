using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>x + c for a constant c.</summary>
internal sealed class ScalarAdd(Tensor x) : Node("add_scalar", [x])
{
    public static Tensor Apply(Tensor x, double c)
    {
        var y = OpHelper.Unary(UnaryKind.AddScalar, x, c);
        return GradMode.ShouldRecord(x) ? y.WithNode(new ScalarAdd(x)) : y;
    }

    public override void Backward(Tensor output, Tensor g, Tensor?[] grads) => grads[0] = g;
}
