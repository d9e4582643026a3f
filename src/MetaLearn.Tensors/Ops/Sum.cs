using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Internal;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>Sum over a set of axes (all when empty), optionally keeping them as size-1 dimensions.</summary>
internal sealed class Sum(Tensor x, int[] keptShape) : Node("sum", [x])
{
    public static Tensor Apply(Tensor x, int[] axes, bool keepDims)
    {
        ArgumentNullException.ThrowIfNull(x);
        var mask = ShapeHelper.AxesMask("sum", axes, x.Rank, emptyMeansAll: true);
        var kept = KeptShape(x.ShapeArray, mask);
        var result = Tensor.Empty(kept, x.DType);
        Reduction.Sum(x, mask, result);
        var y = keepDims ? result : result.ReshapeUnrecorded(Squeezed(x.ShapeArray, mask));
        return GradMode.ShouldRecord(x) ? y.WithNode(new Sum(x, kept)) : y;
    }

    public override void Backward(Tensor output, Tensor g, Tensor?[] grads)
        => grads[0] = BroadcastTo.Apply(Reshape.Apply(g, keptShape), Inputs[0].ShapeArray);

    internal static int[] KeptShape(int[] shape, bool[] mask)
    {
        var kept = (int[])shape.Clone();
        for (int d = 0; d < kept.Length; d++)
        {
            if (mask[d])
            {
                kept[d] = 1;
            }
        }

        return kept;
    }

    internal static int[] Squeezed(int[] shape, bool[] mask)
    {
        var result = new List<int>(shape.Length);
        for (int d = 0; d < shape.Length; d++)
        {
            if (!mask[d])
            {
                result.Add(shape[d]);
            }
        }

        return [.. result];
    }
}
