namespace MetaLearn.Tensors.Internal;

/// <summary>Shape arithmetic and the argument checks shared by every operation.</summary>
internal static class ShapeHelper
{
    public static readonly int[] Scalar = [];

    public static int Count(ReadOnlySpan<int> shape)
    {
        long count = 1;
        foreach (int d in shape)
        {
            count *= d;
            if (count > Array.MaxLength)
            {
                throw new ArgumentException($"The shape {Shapes.Format(shape)} has more elements than an array can hold.");
            }
        }

        return (int)count;
    }

    /// <summary>Validates a user-supplied shape (no negative sizes) and returns a private copy.</summary>
    public static int[] Validate(string op, ReadOnlySpan<int> shape, string paramName)
    {
        foreach (int d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"{op}: the shape {Shapes.Format(shape)} has a negative size.", paramName);
            }
        }

        Count(shape);
        return shape.ToArray();
    }

    public static bool SameShape(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);

    /// <summary>Row-major strides (in elements) of a contiguous tensor.</summary>
    public static int[] Strides(ReadOnlySpan<int> shape)
    {
        var strides = new int[shape.Length];
        int stride = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = stride;
            stride *= shape[i];
        }

        return strides;
    }

    /// <summary>NumPy broadcasting: align trailing dimensions; each pair must be equal or contain a 1.</summary>
    public static int[] Broadcast(string op, ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        if (a.SequenceEqual(b))
        {
            return a.ToArray();
        }

        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
            {
                throw new ArgumentException(
                    $"{op}: shapes {Shapes.Format(a)} and {Shapes.Format(b)} cannot be broadcast together (dimension {i}: {da} vs {db}).");
            }

            result[i] = da == 1 ? db : da;
        }

        return result;
    }

    /// <summary>Maps a possibly negative axis into [0, rank).</summary>
    public static int Axis(string op, int axis, int rank, string paramName = "axis")
    {
        int normalized = axis < 0 ? axis + rank : axis;
        if (normalized < 0 || normalized >= rank)
        {
            throw new ArgumentOutOfRangeException(paramName, axis, $"{op}: axis {axis} is out of range for a tensor of rank {rank}.");
        }

        return normalized;
    }

    /// <summary>Normalizes a set of axes; null or empty means all axes. Returns a sorted, duplicate-free mask.</summary>
    public static bool[] AxesMask(string op, ReadOnlySpan<int> axes, int rank, bool emptyMeansAll)
    {
        var mask = new bool[rank];
        if (axes.IsEmpty && emptyMeansAll)
        {
            Array.Fill(mask, true);
            return mask;
        }

        foreach (int axis in axes)
        {
            int a = Axis(op, axis, rank, nameof(axes));
            if (mask[a])
            {
                throw new ArgumentException($"{op}: axis {axis} is listed twice.", nameof(axes));
            }

            mask[a] = true;
        }

        return mask;
    }

    public static int FlatIndex(string op, ReadOnlySpan<int> shape, ReadOnlySpan<int> indices)
    {
        if (indices.Length != shape.Length)
        {
            throw new ArgumentException($"{op}: {indices.Length} indices given for a tensor of rank {shape.Length}.", nameof(indices));
        }

        int flat = 0;
        for (int i = 0; i < shape.Length; i++)
        {
            if ((uint)indices[i] >= (uint)shape[i])
            {
                throw new ArgumentOutOfRangeException(nameof(indices), $"{op}: index {indices[i]} is out of range for dimension {i} of size {shape[i]}.");
            }

            flat = (flat * shape[i]) + indices[i];
        }

        return flat;
    }

    /// <summary>Product of the dimensions in [start, end).</summary>
    public static int Product(ReadOnlySpan<int> shape, int start, int end)
    {
        int p = 1;
        for (int i = start; i < end; i++)
        {
            p *= shape[i];
        }

        return p;
    }
}
