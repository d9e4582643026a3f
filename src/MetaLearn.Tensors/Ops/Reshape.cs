using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Internal;

namespace MetaLearn.Tensors.Ops;

/// <summary>The same elements under a new shape (no copy: the storage is shared).</summary>
internal sealed class Reshape(Tensor x) : Node("reshape", [x])
{
    public static Tensor Apply(Tensor x, ReadOnlySpan<int> shape)
    {
        ArgumentNullException.ThrowIfNull(x);
        var target = Resolve(x, shape);
        if (ShapeHelper.SameShape(target, x.ShapeArray))
        {
            return x;
        }

        var y = x.ReshapeUnrecorded(target);
        return GradMode.ShouldRecord(x) ? y.WithNode(new Reshape(x)) : y;
    }

    public override void Backward(Tensor output, Tensor g, Tensor?[] grads) => grads[0] = Apply(g, Inputs[0].ShapeArray);

    /// <summary>Fills in one −1 dimension and checks the element count.</summary>
    private static int[] Resolve(Tensor x, ReadOnlySpan<int> shape)
    {
        var target = shape.ToArray();
        int inferred = -1;
        long known = 1;
        for (int d = 0; d < target.Length; d++)
        {
            if (target[d] == -1)
            {
                if (inferred >= 0)
                {
                    throw new ArgumentException($"reshape: {Shapes.Format(shape)} has more than one -1.", nameof(shape));
                }

                inferred = d;
            }
            else if (target[d] < 0)
            {
                throw new ArgumentException($"reshape: {Shapes.Format(shape)} has a negative size.", nameof(shape));
            }
            else
            {
                known *= target[d];
            }
        }

        if (inferred >= 0)
        {
            if (known == 0 || x.Count % known != 0)
            {
                throw new ArgumentException($"reshape: cannot infer the -1 in {Shapes.Format(shape)} for {Shapes.Format(x.ShapeArray)} "
                    + $"({x.Count} elements).", nameof(shape));
            }

            target[inferred] = (int)(x.Count / known);
            known *= target[inferred];
        }

        if (known != x.Count)
        {
            throw new ArgumentException($"reshape: cannot view {Shapes.Format(x.ShapeArray)} ({x.Count} elements) as "
                + $"{Shapes.Format(shape)} ({known} elements).", nameof(shape));
        }

        return target;
    }
}
