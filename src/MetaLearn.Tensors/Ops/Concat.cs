using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Internal;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>Joins tensors along an existing axis; the other dimensions must agree.</summary>
internal sealed class Concat(Tensor[] inputs, int axis) : Node("concat", inputs)
{
    public static Tensor Apply(IReadOnlyList<Tensor> parts, int axis)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
        {
            throw new ArgumentException("concat: no tensors were given.", nameof(parts));
        }

        var first = parts[0] ?? throw new ArgumentNullException(nameof(parts), "concat: tensor 0 is null.");
        if (first.Rank == 0)
        {
            throw new ArgumentException("concat: scalars cannot be concatenated; use Stack.", nameof(parts));
        }

        int a = ShapeHelper.Axis("concat", axis, first.Rank);
        var shape = (int[])first.ShapeArray.Clone();
        shape[a] = 0;
        for (int i = 0; i < parts.Count; i++)
        {
            var part = parts[i] ?? throw new ArgumentNullException(nameof(parts), $"concat: tensor {i} is null.");
            OpHelper.SameDType("concat", first, part);
            for (int d = 0; d < shape.Length; d++)
            {
                if (part.Rank != first.Rank || (d != a && part.ShapeArray[d] != first.ShapeArray[d]))
                {
                    throw new ArgumentException($"concat: tensor {i} {Shapes.Format(part.ShapeArray)} does not match tensor 0 "
                        + $"{Shapes.Format(first.ShapeArray)} outside axis {a}.", nameof(parts));
                }
            }

            shape[a] += part.ShapeArray[a];
        }

        var y = Tensor.Empty(shape, first.DType);
        Layout.Concat(parts, a, y);
        var inputs = parts.ToArray();
        return GradMode.ShouldRecord(inputs) ? y.WithNode(new Concat(inputs, a)) : y;
    }

    public override void Backward(Tensor output, Tensor g, Tensor?[] grads)
    {
        int start = 0;
        for (int i = 0; i < Inputs.Length; i++)
        {
            int length = Inputs[i].ShapeArray[axis];
            if (Needs(i))
            {
                var indices = new int[length];
                for (int j = 0; j < length; j++)
                {
                    indices[j] = start + j;
                }

                grads[i] = IndexSelect.Apply(g, axis, indices);
            }

            start += length;
        }
    }
}
