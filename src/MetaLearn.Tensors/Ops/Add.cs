using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>a + b (broadcasting).</summary>
internal sealed class Add(Tensor a, Tensor b) : Node("add", [a, b])
{
    public static Tensor Apply(Tensor a, Tensor b)
    {
        var y = OpHelper.Binary("add", BinaryKind.Add, a, b);
        return GradMode.ShouldRecord(a, b) ? y.WithNode(new Add(a, b)) : y;
    }

    public override void Backward(Tensor output, Tensor g, Tensor?[] grads)
    {
        grads[0] = g;
        grads[1] = g;
    }
}
