using MetaLearn.Tensors.Internal;

namespace MetaLearn.Tensors;

public sealed partial class Tensor
{
    /// <summary>The sum of all elements: a scalar, or with <paramref name="keepDims"/> a tensor of this rank with every dimension 1.</summary>
    public Tensor Sum(bool keepDims = false) => Ops.Sum.Apply(this, [], keepDims);

    /// <summary>The sum along one axis (negative counts from the end).</summary>
    public Tensor Sum(int axis, bool keepDims = false) => Ops.Sum.Apply(this, [axis], keepDims);

    /// <summary>The sum along several axes.</summary>
    public Tensor Sum(int[] axes, bool keepDims = false)
    {
        ArgumentNullException.ThrowIfNull(axes);
        if (axes.Length == 0)
        {
            throw new ArgumentException("Sum: give at least one axis, or call Sum() for all.", nameof(axes));
        }

        return Ops.Sum.Apply(this, axes, keepDims);
    }

    /// <summary>The mean of all elements: a scalar, or with <paramref name="keepDims"/> a tensor of this rank with every dimension 1.</summary>
    public Tensor Mean(bool keepDims = false) => Sum(keepDims) * (1.0 / NonEmpty("Mean", Count));

    /// <summary>The mean along one axis.</summary>
    public Tensor Mean(int axis, bool keepDims = false) => Sum(axis, keepDims) * (1.0 / NonEmpty("Mean", _shape[ShapeHelper.Axis("Mean", axis, Rank)]));

    /// <summary>The mean along several axes.</summary>
    public Tensor Mean(int[] axes, bool keepDims = false)
    {
        var sum = Sum(axes, keepDims);
        return sum * (1.0 / NonEmpty("Mean", Count / Math.Max(1, sum.Count)));
    }

    /// <summary>
    /// The variance along axes (population variance when <paramref name="unbiased"/> is false, as batch norm uses).
    /// </summary>
    public Tensor Variance(int[] axes, bool keepDims = false, bool unbiased = false)
    {
        var centered = this - Mean(axes, keepDims: true);
        var sum = centered.Square().Sum(axes, keepDims);
        int n = Count / Math.Max(1, sum.Count);
        if (unbiased && n < 2)
        {
            throw new ArgumentException($"Variance: the unbiased variance needs at least 2 elements per reduction; {Shapes.Format(_shape)} "
                + $"has {n} along the reduced axes.", nameof(unbiased));
        }

        return sum * (1.0 / NonEmpty("Variance", unbiased ? n - 1 : n));
    }

    /// <summary>The largest element: a scalar, or with <paramref name="keepDims"/> a tensor of this rank with every dimension 1.</summary>
    public Tensor Max(bool keepDims = false) => Ops.Max.Apply(this, [], keepDims);

    /// <summary>The maximum along one axis.</summary>
    public Tensor Max(int axis, bool keepDims = false) => Ops.Max.Apply(this, [axis], keepDims);

    /// <summary>The maximum along several axes.</summary>
    public Tensor Max(int[] axes, bool keepDims = false) => Ops.Max.Apply(this, axes, keepDims);

    /// <summary>The smallest element: a scalar, or with <paramref name="keepDims"/> a tensor of this rank with every dimension 1.</summary>
    public Tensor Min(bool keepDims = false) => -(-this).Max(keepDims);

    /// <summary>The minimum along one axis.</summary>
    public Tensor Min(int axis, bool keepDims = false) => -(-this).Max(axis, keepDims);

    /// <summary>The index of the largest element along <paramref name="axis"/> for each position of the other axes (first on ties).</summary>
    public int[] ArgMax(int axis)
    {
        int a = ShapeHelper.Axis("ArgMax", axis, Rank);
        int outer = ShapeHelper.Product(_shape, 0, a);
        int size = _shape[a];
        int inner = ShapeHelper.Product(_shape, a + 1, Rank);
        if (size == 0)
        {
            throw new ArgumentException($"ArgMax: axis {a} of {Shapes.Format(_shape)} is empty.", nameof(axis));
        }

        var result = new int[outer * inner];
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int best = 0;
                double bestValue = GetFlat((o * size * inner) + i);
                for (int j = 1; j < size; j++)
                {
                    double v = GetFlat((((o * size) + j) * inner) + i);
                    if (v > bestValue)
                    {
                        bestValue = v;
                        best = j;
                    }
                }

                result[(o * inner) + i] = best;
            }
        }

        return result;
    }

    private static int NonEmpty(string op, int n) => n > 0 ? n : throw new InvalidOperationException($"{op}: no elements to average.");
}
