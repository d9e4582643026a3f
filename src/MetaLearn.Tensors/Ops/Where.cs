using System.Numerics;
using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Internal;

namespace MetaLearn.Tensors.Ops;

/// <summary>condition ? a : b elementwise, where the condition is a constant tensor of 0/1 (any non-zero is true). All three broadcast.</summary>
internal sealed class Where(Tensor condition, Tensor a, Tensor b) : Node("where", [a, b])
{
    public static Tensor Apply(Tensor condition, Tensor a, Tensor b)
    {
        OpHelper.SameDType("where", a, b);
        OpHelper.SameDType("where", condition, a);
        var shape = ShapeHelper.Broadcast("where", condition.ShapeArray, ShapeHelper.Broadcast("where", a.ShapeArray, b.ShapeArray));
        var result = Tensor.Empty(shape, a.DType);
        if (a.DType == DType.Float32)
        {
            Select<float>(Expand(condition, shape).F32, Expand(a, shape).F32, Expand(b, shape).F32, result.F32);
        }
        else
        {
            Select<double>(Expand(condition, shape).F64, Expand(a, shape).F64, Expand(b, shape).F64, result.F64);
        }

        return GradMode.ShouldRecord(a, b) ? result.WithNode(new Where(condition, a, b)) : result;
    }

    public override void Backward(Tensor output, Tensor g, Tensor?[] grads)
    {
        var zero = Tensor.Scalar(0, g.DType);
        grads[0] = Needs(0) ? Apply(condition, g, zero) : null;
        grads[1] = Needs(1) ? Apply(condition, zero, g) : null;
    }

    private static Tensor Expand(Tensor t, int[] shape)
    {
        using var scope = Tensor.NoGrad();
        return BroadcastTo.Apply(t, shape);
    }

    private static void Select<T>(ReadOnlySpan<T> condition, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = condition[i] != T.Zero ? a[i] : b[i];
        }
    }
}
