using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>Elementwise maximum (or minimum) of a and b (broadcasting). Ties send the gradient to a.</summary>
internal sealed class Maximum(Tensor a, Tensor b, bool minimum) : Node(minimum ? "minimum" : "maximum", [a, b])
{
    public static Tensor Apply(Tensor a, Tensor b, bool minimum)
    {
        var y = OpHelper.Binary(minimum ? "minimum" : "maximum", minimum ? BinaryKind.Minimum : BinaryKind.Maximum, a, b);
        return GradMode.ShouldRecord(a, b) ? y.WithNode(new Maximum(a, b, minimum)) : y;
    }

    public override void Backward(Tensor output, Tensor g, Tensor?[] grads)
    {
        // The mask "a was chosen" is piecewise constant: a constant in every derivative order.
        Tensor chosenA, chosenB;
        using (Tensor.NoGrad())
        {
            var difference = minimum ? Subtract.Apply(Inputs[1], Inputs[0]) : Subtract.Apply(Inputs[0], Inputs[1]);
            chosenA = OpHelper.Constant(UnaryKind.NonNegative, difference);
            chosenB = ScalarAdd.Apply(ScalarMultiply.Apply(chosenA, -1), 1);
        }

        grads[0] = Needs(0) ? Multiply.Apply(g, chosenA) : null;
        grads[1] = Needs(1) ? Multiply.Apply(g, chosenB) : null;
    }
}
