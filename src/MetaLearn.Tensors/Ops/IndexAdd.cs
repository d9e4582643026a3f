using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>
/// Adjoint of <see cref="IndexSelect"/>: a zero tensor of size <c>size</c> along the axis into which slice j of
/// the source is added at position indices[j] (repeated indices accumulate).
/// </summary>
internal sealed class IndexAdd(Tensor source, int axis, int[] indices) : Node("index_add", [source])
{
    public static Tensor Apply(Tensor source, int axis, int[] indices, int size)
    {
        var shape = (int[])source.ShapeArray.Clone();
        shape[axis] = size;
        var y = Tensor.Empty(shape, source.DType);
        Layout.IndexSelect(source, axis, indices, y, add: true);
        return GradMode.ShouldRecord(source) ? y.WithNode(new IndexAdd(source, axis, indices)) : y;
    }

    public override void Backward(Tensor output, Tensor g, Tensor?[] grads) => grads[0] = IndexSelect.Apply(g, axis, indices);
}
