using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>The logistic function 1/(1+e^−x), a primitive for numerical stability at large |x|.</summary>
internal sealed class Sigmoid(Tensor x) : Node("sigmoid", [x])
{
    public static Tensor Apply(Tensor x)
    {
        var y = OpHelper.Unary(UnaryKind.Sigmoid, x);
        return GradMode.ShouldRecord(x) ? y.WithNode(new Sigmoid(x)) : y;
    }

    // dσ/dx = σ(1 − σ)
    public override void Backward(Tensor output, Tensor g, Tensor?[] grads)
        => grads[0] = Multiply.Apply(g, Multiply.Apply(output, ScalarAdd.Apply(ScalarMultiply.Apply(output, -1), 1)));
}
