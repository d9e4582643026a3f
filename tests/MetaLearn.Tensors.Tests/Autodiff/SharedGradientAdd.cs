using MetaLearn.Tensors.Autodiff;

namespace MetaLearn.Tensors.Tests.Autodiff;

/// <summary>
/// a + b whose backward rule hands one new tensor (a copy of g) to both inputs: a legal rule (the engine, not the rule, owns
/// aliasing) that no built-in op happens to use, so that the engine's bookkeeping of shared gradients can be tested.
/// </summary>
internal sealed class SharedGradientAdd(Tensor a, Tensor b) : Node("shared_gradient_add", [a, b])
{
    public static Tensor Apply(Tensor a, Tensor b)
    {
        Tensor sum;
        using (Tensor.NoGrad())
        {
            sum = a + b;
        }

        return sum.WithNode(new SharedGradientAdd(a, b));
    }

    public override void Backward(Tensor output, Tensor gradOutput, Tensor?[] inputGradients)
    {
        var shared = gradOutput * 1.0;
        inputGradients[0] = shared;
        inputGradients[1] = shared;
    }
}
