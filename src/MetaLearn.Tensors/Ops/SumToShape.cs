using MetaLearn.Tensors.Internal;

namespace MetaLearn.Tensors.Ops;

/// <summary>Undoes broadcasting: sums a gradient over the dimensions along which its input was broadcast.</summary>
/// <remarks>The one place broadcasting is undone; built from <see cref="Sum"/> and <see cref="Reshape"/>, so it is differentiable.</remarks>
internal static class SumToShape
{
    public static Tensor Apply(Tensor g, int[] shape, string op)
    {
        if (ShapeHelper.SameShape(g.ShapeArray, shape))
        {
            return g;
        }

        int[] gShape = g.ShapeArray;
        int offset = gShape.Length - shape.Length;
        if (offset < 0)
        {
            throw new InvalidOperationException($"Backward of '{op}' produced a gradient {Shapes.Format(gShape)} of lower rank than its "
                + $"input {Shapes.Format(shape)}.");
        }

        var axes = new List<int>();
        for (int d = 0; d < gShape.Length; d++)
        {
            int target = d < offset ? 1 : shape[d - offset];
            if (d < offset || (target == 1 && gShape[d] != 1))
            {
                axes.Add(d);
            }
            else if (target != gShape[d])
            {
                throw new InvalidOperationException($"Backward of '{op}' produced a gradient {Shapes.Format(gShape)} that does not "
                    + $"broadcast to its input {Shapes.Format(shape)}.");
            }
        }

        var summed = axes.Count == 0 ? g : Sum.Apply(g, [.. axes], keepDims: true);
        return Reshape.Apply(summed, shape);
    }
}
