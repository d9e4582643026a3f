using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Internal;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>Repeats x along broadcast dimensions to the given shape (a copy).</summary>
internal sealed class BroadcastTo(Tensor x) : Node("broadcast_to", [x])
{
    public static Tensor Apply(Tensor x, int[] shape)
    {
        if (ShapeHelper.SameShape(x.ShapeArray, shape))
        {
            return x;
        }

        var target = ShapeHelper.Broadcast("broadcast_to", x.ShapeArray, shape);
        if (!ShapeHelper.SameShape(target, shape))
        {
            throw new ArgumentException($"broadcast_to: {Shapes.Format(x.ShapeArray)} cannot be broadcast to {Shapes.Format(shape)}.", nameof(shape));
        }

        var result = Tensor.Empty(target, x.DType);
        var zero = Tensor.Scalar(0, x.DType);
        Broadcasting.Binary<BinaryOps.Add>(x, zero, result);
        return GradMode.ShouldRecord(x) ? result.WithNode(new BroadcastTo(x)) : result;
    }

    // The engine sums a gradient back to its input's shape, which is exactly the adjoint of broadcasting.
    public override void Backward(Tensor output, Tensor g, Tensor?[] grads) => grads[0] = g;
}
