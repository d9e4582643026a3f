using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Internal;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>Maximum over a set of axes (all when empty). The gradient is shared equally among tied maxima.</summary>
internal sealed class Max(Tensor x, int[] keptShape) : Node("max", [x])
{
    public static Tensor Apply(Tensor x, int[] axes, bool keepDims)
    {
        ArgumentNullException.ThrowIfNull(x);
        var mask = ShapeHelper.AxesMask("max", axes, x.Rank, emptyMeansAll: true);
        for (int d = 0; d < mask.Length; d++)
        {
            if (mask[d] && x.ShapeArray[d] == 0)
            {
                throw new ArgumentException($"max: cannot reduce over axis {d} of size 0 in {Shapes.Format(x.ShapeArray)}.", nameof(axes));
            }
        }

        var kept = Sum.KeptShape(x.ShapeArray, mask);
        var result = Tensor.Empty(kept, x.DType);
        Reduction.Max(x, mask, result);
        var y = keepDims ? result : result.ReshapeUnrecorded(Sum.Squeezed(x.ShapeArray, mask));
        return GradMode.ShouldRecord(x) ? y.WithNode(new Max(x, kept)) : y;
    }

    public override void Backward(Tensor output, Tensor g, Tensor?[] grads)
    {
        var x = Inputs[0];

        // Which elements attained the maximum is piecewise constant: the weights are a constant in every order.
        Tensor weights;
        using (Tensor.NoGrad())
        {
            var difference = Elementwise.Subtract(x, Reshape.Apply(output, keptShape));
            var hit = OpHelper.Constant<ConstantMasks.NonNegative>(difference);
            var axes = new List<int>();
            for (int d = 0; d < keptShape.Length; d++)
            {
                if (keptShape[d] != x.ShapeArray[d] || (keptShape[d] == 1 && x.ShapeArray[d] == 1))
                {
                    axes.Add(d);
                }
            }

            weights = Elementwise.Divide(hit, Sum.Apply(hit, [.. axes], keepDims: true));
        }

        grads[0] = Elementwise.Multiply(Reshape.Apply(g, keptShape), weights);
    }
}
