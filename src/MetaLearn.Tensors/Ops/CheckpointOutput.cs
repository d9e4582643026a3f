using MetaLearn.Tensors.Autodiff;

namespace MetaLearn.Tensors.Ops;

/// <summary>
/// One output of a <see cref="Checkpoint"/>: a copy of <c>count</c> elements of the packed outputs from <c>offset</c>, under
/// the output's shape. Its gradient is the output's, placed at those positions of a packed-sized zero tensor (copied there,
/// or with <see cref="IndexAdd"/> when the backward pass is recorded).
/// </summary>
internal sealed class CheckpointOutput(Tensor packed, int offset) : Node("checkpoint_output", [packed])
{
    public static Tensor Apply(Tensor packed, int offset, int[] shape)
    {
        var y = Tensor.Empty(shape, packed.DType);
        Array.Copy(packed.Storage, offset, y.Storage, 0, y.Count);
        return y.WithNode(new CheckpointOutput(packed, offset));
    }

    public override void Backward(Tensor output, Tensor g, Tensor?[] grads)
    {
        if (!GradMode.IsEnabled)
        {
            var padded = Tensor.Empty(Inputs[0].ShapeArray, g.DType);
            Array.Clear(padded.Storage);
            Array.Copy(g.Storage, 0, padded.Storage, offset, g.Count);
            grads[0] = padded;
            return;
        }

        var indices = new int[g.Count];
        for (int i = 0; i < indices.Length; i++)
        {
            indices[i] = offset + i;
        }

        grads[0] = IndexAdd.Apply(Reshape.Apply(g, [g.Count]), 0, indices, Inputs[0].Count);
    }
}
