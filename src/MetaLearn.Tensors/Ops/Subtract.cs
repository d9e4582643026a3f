using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>a − b (broadcasting).</summary>
internal sealed class Subtract(Tensor a, Tensor b) : Node("sub", [a, b])
{
    public static Tensor Apply(Tensor a, Tensor b)
    {
        var y = OpHelper.Binary("sub", BinaryKind.Subtract, a, b);
        return GradMode.ShouldRecord(a, b) ? y.WithNode(new Subtract(a, b)) : y;
    }

    public override void Backward(Tensor output, Tensor g, Tensor?[] grads)
    {
        grads[0] = g;
        grads[1] = Needs(1) ? ScalarMultiply.Apply(g, -1) : null;
    }
}
