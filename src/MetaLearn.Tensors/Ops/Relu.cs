using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>Leaky rectifier: x for x &gt; 0, slope·x otherwise (slope 0 is the plain ReLU).</summary>
internal sealed class Relu(Tensor x, double slope) : Node(slope == 0 ? "relu" : "leaky_relu", [x])
{
    public static Tensor Apply(Tensor x, double slope = 0)
    {
        var y = slope == 0 ? OpHelper.Unary(UnaryKind.Relu, x) : OpHelper.Unary(UnaryKind.LeakyRelu, x, slope);
        return GradMode.ShouldRecord(x) ? y.WithNode(new Relu(x, slope)) : y;
    }

    // The slope mask is piecewise constant, so it is a constant in every order (the second derivative is 0).
    public override void Backward(Tensor output, Tensor g, Tensor?[] grads) => grads[0] = ReluGradient.Apply(g, Inputs[0], slope);
}
