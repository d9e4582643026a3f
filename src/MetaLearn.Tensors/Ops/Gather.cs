using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Internal;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>
/// result[.., j, ..] = x[.., index[.., j, ..], ..] along one axis (PyTorch's <c>gather</c>); the index has the
/// input's shape except along the axis. Its adjoint is <see cref="ScatterAdd"/>.
/// </summary>
internal sealed class Gather(Tensor x, int axis, int[] index) : Node("gather", [x])
{
    public static Tensor Apply(Tensor x, int axis, int[] index, int[] indexShape)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(indexShape);
        int a = ShapeHelper.Axis("gather", axis, x.Rank);
        CheckIndex("gather", x.ShapeArray, a, index, indexShape);
        var y = Tensor.Empty((int[])indexShape.Clone(), x.DType);
        Layout.Gather(x, a, index, indexShape, y, add: false);
        return GradMode.ShouldRecord(x) ? y.WithNode(new Gather(x, a, index)) : y;
    }

    public override void Backward(Tensor output, Tensor g, Tensor?[] grads)
        => grads[0] = ScatterAdd.Apply(g, axis, index, Inputs[0].ShapeArray);

    internal static void CheckIndex(string op, int[] shape, int axis, int[] index, int[] indexShape)
    {
        if (indexShape.Length != shape.Length)
        {
            throw new ArgumentException($"{op}: the index shape {Shapes.Format(indexShape)} must have the rank of {Shapes.Format(shape)}.",
                nameof(indexShape));
        }

        for (int d = 0; d < shape.Length; d++)
        {
            if (d != axis && indexShape[d] != shape[d])
            {
                throw new ArgumentException($"{op}: the index shape {Shapes.Format(indexShape)} must match {Shapes.Format(shape)} "
                    + $"except along axis {axis}.", nameof(indexShape));
            }
        }

        if (index.Length != ShapeHelper.Count(indexShape))
        {
            throw new ArgumentException($"{op}: {index.Length} indices cannot fill the index shape {Shapes.Format(indexShape)}.", nameof(index));
        }

        foreach (int i in index)
        {
            if ((uint)i >= (uint)shape[axis])
            {
                throw new ArgumentOutOfRangeException(nameof(index), i,
                    $"{op}: index {i} is out of range for axis {axis} of size {shape[axis]} in {Shapes.Format(shape)}.");
            }
        }
    }
}
