using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>Adjoint of <see cref="Gather"/>: zeros of <c>shape</c> with result[.., index[.., j, ..], ..] += source[.., j, ..].</summary>
internal sealed class ScatterAdd(Tensor source, int axis, int[] index) : Node("scatter_add", [source])
{
    public static Tensor Apply(Tensor source, int axis, int[] index, int[] shape)
    {
        Gather.CheckIndex("scatter_add", shape, axis, index, source.ShapeArray);
        var y = Tensor.Empty((int[])shape.Clone(), source.DType);
        Layout.Gather(source, axis, index, source.ShapeArray, y, add: true);
        return GradMode.ShouldRecord(source) ? y.WithNode(new ScatterAdd(source, axis, index)) : y;
    }

    public override void Backward(Tensor output, Tensor g, Tensor?[] grads)
        => grads[0] = Gather.Apply(g, axis, index, Inputs[0].ShapeArray);
}
