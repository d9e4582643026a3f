using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Internal;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>Reorders the axes: output axis i is input axis permutation[i] (a copy).</summary>
internal sealed class Permute(Tensor x, int[] permutation) : Node("permute", [x])
{
    public static Tensor Apply(Tensor x, ReadOnlySpan<int> permutation)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (permutation.Length != x.Rank)
        {
            throw new ArgumentException($"permute: {permutation.Length} axes given for a tensor of rank {x.Rank} {Shapes.Format(x.ShapeArray)}.",
                nameof(permutation));
        }

        var perm = new int[x.Rank];
        var seen = new bool[x.Rank];
        var shape = new int[x.Rank];
        bool identity = true;
        for (int i = 0; i < perm.Length; i++)
        {
            int axis = ShapeHelper.Axis("permute", permutation[i], x.Rank, nameof(permutation));
            if (seen[axis])
            {
                throw new ArgumentException($"permute: axis {axis} appears twice in {Shapes.Format(permutation)}.", nameof(permutation));
            }

            seen[axis] = true;
            perm[i] = axis;
            shape[i] = x.ShapeArray[axis];
            identity &= axis == i;
        }

        if (identity)
        {
            return x;
        }

        var y = Tensor.Empty(shape, x.DType);
        Layout.Permute(x, perm, y);
        return GradMode.ShouldRecord(x) ? y.WithNode(new Permute(x, perm)) : y;
    }

    public override void Backward(Tensor output, Tensor g, Tensor?[] grads)
    {
        var inverse = new int[permutation.Length];
        for (int i = 0; i < permutation.Length; i++)
        {
            inverse[permutation[i]] = i;
        }

        grads[0] = Apply(g, inverse);
    }
}
