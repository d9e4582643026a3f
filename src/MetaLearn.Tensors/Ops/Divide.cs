using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>a / b elementwise (broadcasting).</summary>
internal sealed class Divide(Tensor a, Tensor b) : Node("div", [a, b])
{
    public static Tensor Apply(Tensor a, Tensor b)
    {
        var y = OpHelper.Binary("div", BinaryKind.Divide, a, b);
        return GradMode.ShouldRecord(a, b) ? y.WithNode(new Divide(a, b)) : y;
    }

    public override void Backward(Tensor output, Tensor g, Tensor?[] grads)
    {
        var b = Inputs[1];
        var gOverB = Apply(g, b);
        grads[0] = Needs(0) ? gOverB : null;

        // d(a/b)/db = −a/b², written as −(g/b)·(a/b) so that it stays a function of the inputs for higher orders.
        grads[1] = Needs(1) ? ScalarMultiply.Apply(Multiply.Apply(gOverB, Apply(Inputs[0], b)), -1) : null;
    }
}
