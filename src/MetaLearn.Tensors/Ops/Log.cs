using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>Natural logarithm.</summary>
internal sealed class Log(Tensor x) : Node("log", [x])
{
    public static Tensor Apply(Tensor x)
    {
        var y = OpHelper.Unary(UnaryKind.Log, x);
        return GradMode.ShouldRecord(x) ? y.WithNode(new Log(x)) : y;
    }

    public override void Backward(Tensor output, Tensor g, Tensor?[] grads) => grads[0] = Divide.Apply(g, Inputs[0]);
}
