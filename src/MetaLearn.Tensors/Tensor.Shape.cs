using MetaLearn.Tensors.Internal;
using MetaLearn.Tensors.Ops;

namespace MetaLearn.Tensors;

public sealed partial class Tensor
{
    /// <summary>The same elements viewed with a new shape (one dimension may be −1 to infer it). Shares storage.</summary>
    public Tensor Reshape(params int[] shape) => Ops.Reshape.Apply(this, shape);

    /// <summary>Merges the axes from <paramref name="startAxis"/> on into one.</summary>
    public Tensor Flatten(int startAxis = 0)
    {
        int start = ShapeHelper.Axis("Flatten", startAxis, Math.Max(Rank, 1));
        if (Rank == 0)
        {
            return Reshape(1);
        }

        var shape = new int[start + 1];
        Array.Copy(_shape, shape, start);
        shape[start] = ShapeHelper.Product(_shape, start, Rank);
        return Reshape(shape);
    }

    /// <summary>Inserts a size-1 axis at <paramref name="axis"/>.</summary>
    public Tensor Unsqueeze(int axis)
    {
        int a = ShapeHelper.Axis("Unsqueeze", axis, Rank + 1);
        var shape = new List<int>(_shape);
        shape.Insert(a, 1);
        return Reshape([.. shape]);
    }

    /// <summary>Removes a size-1 axis.</summary>
    public Tensor Squeeze(int axis)
    {
        int a = ShapeHelper.Axis("Squeeze", axis, Rank);
        if (_shape[a] != 1)
        {
            throw new ArgumentException($"Squeeze: axis {a} of {Shapes.Format(_shape)} has size {_shape[a]}, not 1.", nameof(axis));
        }

        var shape = new List<int>(_shape);
        shape.RemoveAt(a);
        return Reshape([.. shape]);
    }

    /// <summary>Reorders the axes: output axis i is input axis <paramref name="permutation"/>[i].</summary>
    public Tensor Permute(params int[] permutation) => Ops.Permute.Apply(this, permutation);

    /// <summary>Swaps two axes.</summary>
    public Tensor Transpose(int axis0, int axis1)
    {
        var perm = new int[Rank];
        for (int i = 0; i < perm.Length; i++)
        {
            perm[i] = i;
        }

        int a = ShapeHelper.Axis("Transpose", axis0, Rank, nameof(axis0));
        int b = ShapeHelper.Axis("Transpose", axis1, Rank, nameof(axis1));
        (perm[a], perm[b]) = (perm[b], perm[a]);
        return Permute(perm);
    }

    /// <summary>Swaps the last two axes.</summary>
    public Tensor T => Rank < 2 ? throw new InvalidOperationException($"T: a tensor of rank {Rank} has no last two axes.") : Transpose(-2, -1);

    /// <summary>Repeats the tensor along broadcast dimensions to <paramref name="shape"/>.</summary>
    public Tensor BroadcastTo(params int[] shape) => Ops.BroadcastTo.Apply(this, ShapeHelper.Validate("BroadcastTo", shape, nameof(shape)));

    /// <summary>The elements with index start, start+step, ... below end along an axis (negative start/end count from the end).</summary>
    public Tensor Slice(int axis, int start, int end, int step = 1)
    {
        int a = ShapeHelper.Axis("Slice", axis, Rank);
        int size = _shape[a];
        if (step <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "Slice: step must be positive.");
        }

        int s = start < 0 ? start + size : start;
        int e = end < 0 ? end + size : end;
        if (s < 0 || s > size || e < s || e > size)
        {
            throw new ArgumentOutOfRangeException(nameof(start),
                $"Slice: [{start}, {end}) is out of range for axis {a} of size {size} in {Shapes.Format(_shape)}.");
        }

        // ceil((e − s) / step) without the overflow of e − s + step − 1 for huge steps.
        var indices = new int[e == s ? 0 : ((e - s - 1) / step) + 1];
        for (int i = 0; i < indices.Length; i++)
        {
            indices[i] = s + (i * step);
        }

        return IndexSelect(a, indices);
    }

    /// <summary>The slices at <paramref name="indices"/> along <paramref name="axis"/> (repeats allowed).</summary>
    public Tensor IndexSelect(int axis, int[] indices) => Ops.IndexSelect.Apply(this, axis, indices);

    /// <summary>
    /// PyTorch's gather: result[..., j, ...] = this[..., index[..., j, ...], ...] along <paramref name="axis"/>, where the index
    /// tensor (given flat, with <paramref name="indexShape"/>) has this tensor's shape except along the axis.
    /// </summary>
    public Tensor Gather(int axis, int[] index, int[] indexShape) => Ops.Gather.Apply(this, axis, index, indexShape);

    /// <summary>The adjoint of <see cref="Gather"/>: zeros of <paramref name="shape"/> into which this tensor's elements are added at the indexed
    /// positions.</summary>
    public Tensor ScatterAdd(int axis, int[] index, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(shape);
        return Ops.ScatterAdd.Apply(this, ShapeHelper.Axis("ScatterAdd", axis, Rank), index, ShapeHelper.Validate("ScatterAdd", shape, nameof(shape)));
    }

    /// <summary>Joins tensors along an existing axis.</summary>
    public static Tensor Concat(IReadOnlyList<Tensor> tensors, int axis = 0) => Ops.Concat.Apply(tensors, axis);

    /// <summary>Joins same-shaped tensors along a new axis.</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int axis = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0)
        {
            throw new ArgumentException("Stack: no tensors were given.", nameof(tensors));
        }

        var expanded = new Tensor[tensors.Count];
        for (int i = 0; i < expanded.Length; i++)
        {
            var t = tensors[i] ?? throw new ArgumentNullException(nameof(tensors), $"Stack: tensor {i} is null.");
            if (!ShapeHelper.SameShape(t._shape, tensors[0]._shape))
            {
                throw new ArgumentException($"Stack: tensor {i} {Shapes.Format(t._shape)} differs from tensor 0 "
                    + $"{Shapes.Format(tensors[0]._shape)}.", nameof(tensors));
            }

            expanded[i] = t.Unsqueeze(axis);
        }

        return Concat(expanded, axis);
    }

    /// <summary>A new tensor object over the same storage with another shape of equal size, not recorded.</summary>
    internal Tensor ReshapeUnrecorded(int[] shape) => new(_storage, shape, DType);
}
