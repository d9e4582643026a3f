using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>Square root.</summary>
internal sealed class Sqrt(Tensor x) : Node("sqrt", [x])
{
    public static Tensor Apply(Tensor x)
    {
        var y = OpHelper.Unary(UnaryKind.Sqrt, x);
        return GradMode.ShouldRecord(x) ? y.WithNode(new Sqrt(x)) : y;
    }

    // d√x/dx = 1/(2√x)
    public override void Backward(Tensor output, Tensor g, Tensor?[] grads) => grads[0] = Divide.Apply(ScalarMultiply.Apply(g, 0.5), output);
}
