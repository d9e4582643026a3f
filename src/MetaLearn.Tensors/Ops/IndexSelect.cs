using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Internal;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>Picks the slices <c>indices</c> along an axis (repeats allowed). Its adjoint is <see cref="IndexAdd"/>.</summary>
internal sealed class IndexSelect(Tensor x, int axis, int[] indices) : Node("index_select", [x])
{
    public static Tensor Apply(Tensor x, int axis, int[] indices)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(indices);
        int a = ShapeHelper.Axis("index_select", axis, x.Rank);
        int size = x.ShapeArray[a];
        foreach (int i in indices)
        {
            if ((uint)i >= (uint)size)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), i,
                    $"index_select: index {i} is out of range for axis {a} of size {size} in {Shapes.Format(x.ShapeArray)}.");
            }
        }

        var shape = (int[])x.ShapeArray.Clone();
        shape[a] = indices.Length;
        var y = Tensor.Empty(shape, x.DType);
        Layout.IndexSelect(x, a, indices, y, add: false);
        return GradMode.ShouldRecord(x) ? y.WithNode(new IndexSelect(x, a, indices)) : y;
    }

    public override void Backward(Tensor output, Tensor g, Tensor?[] grads)
        => grads[0] = IndexAdd.Apply(g, axis, indices, Inputs[0].ShapeArray[axis]);
}
