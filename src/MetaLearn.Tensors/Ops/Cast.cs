using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>Converts to another element type; the gradient is converted back.</summary>
internal sealed class Cast(Tensor x) : Node("cast", [x])
{
    public static Tensor Apply(Tensor x, DType dtype)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.DType == dtype)
        {
            return x;
        }

        var y = Tensor.Empty(x.ShapeArray, dtype);
        Layout.Cast(x, y);
        return GradMode.ShouldRecord(x) ? y.WithNode(new Cast(x)) : y;
    }

    public override void Backward(Tensor output, Tensor g, Tensor?[] grads) => grads[0] = Apply(g, Inputs[0].DType);
}
