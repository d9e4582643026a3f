using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>a · b elementwise (broadcasting).</summary>
internal sealed class Multiply(Tensor a, Tensor b) : Node("mul", [a, b])
{
    public static Tensor Apply(Tensor a, Tensor b)
    {
        var y = OpHelper.Binary("mul", BinaryKind.Multiply, a, b);
        return GradMode.ShouldRecord(a, b) ? y.WithNode(new Multiply(a, b)) : y;
    }

    public override void Backward(Tensor output, Tensor g, Tensor?[] grads)
    {
        grads[0] = Needs(0) ? Apply(g, Inputs[1]) : null;
        grads[1] = Needs(1) ? Apply(g, Inputs[0]) : null;
    }
}
