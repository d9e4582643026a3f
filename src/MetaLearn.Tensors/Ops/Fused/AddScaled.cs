using System.Numerics.Tensors;
using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Internal;

namespace MetaLearn.Tensors.Ops;

/// <summary>
/// a + c·b for a constant c and two tensors of one shape, in one node: a gradient-descent step θ − α·g (c = −α) without
/// the intermediate α·g tensor and its node.
/// </summary>
/// <remarks>
/// The product is rounded before the sum, as in the composition <c>a + (b * c)</c>, so the result is bit-identical to it.
/// The backward rule (g, and c·g) is written with <see cref="Elementwise.MultiplyScalar"/>, so it is differentiable to any order.
/// </remarks>
internal sealed class AddScaled(Tensor a, Tensor b, double c) : Node("add_scaled", [a, b])
{
    public static Tensor Apply(Tensor a, Tensor b, double c)
    {
        OpHelper.SameDType("add_scaled", a, b);
        if (!ShapeHelper.SameShape(a.ShapeArray, b.ShapeArray))
        {
            throw new ArgumentException($"add_scaled: shapes differ ({Shapes.Format(a.ShapeArray)} and {Shapes.Format(b.ShapeArray)}); "
                + $"both operands must have one shape.");
        }

        var y = Tensor.EmptyLike(a);
        if (a.DType == DType.Float32)
        {
            TensorPrimitives.Multiply(b.F32, (float)c, y.F32);
            TensorPrimitives.Add(a.F32, y.F32, y.F32);
        }
        else
        {
            TensorPrimitives.Multiply(b.F64, c, y.F64);
            TensorPrimitives.Add(a.F64, y.F64, y.F64);
        }

        return GradMode.ShouldRecord(a, b) ? y.WithNode(new AddScaled(a, b, c)) : y;
    }

    public override void Backward(Tensor output, Tensor g, Tensor?[] grads)
    {
        grads[0] = g;
        grads[1] = Needs(1) ? Elementwise.MultiplyScalar(g, c) : null;
    }
}
