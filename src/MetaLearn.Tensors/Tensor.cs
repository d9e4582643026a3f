using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Internal;

namespace MetaLearn.Tensors;

/// <summary>
/// A dense, row-major n-dimensional array of <see cref="float"/> or <see cref="double"/> that records the
/// operations applied to it, so that gradients can be computed by reverse-mode automatic differentiation.
/// </summary>
/// <remarks>
/// Tensors are immutable from the public API: every operation returns a new tensor. Optimizers update
/// parameter tensors in place, outside the graph (see <see cref="NoGrad"/>). A tensor created by an operation
/// under grad mode keeps a reference to the node that produced it, which keeps its inputs alive; drop the
/// output to free the graph.
/// </remarks>
public sealed partial class Tensor
{
    private static long s_nextId;

    private readonly Array _storage;
    private readonly int[] _shape;
    private bool _requiresGrad;

    internal Tensor(Array storage, int[] shape, DType dtype)
    {
        _storage = storage;
        _shape = shape;
        DType = dtype;
        Count = ShapeHelper.Count(shape);
        Id = Interlocked.Increment(ref s_nextId);
    }

    /// <summary>The element type.</summary>
    public DType DType { get; }

    /// <summary>The size of each dimension; empty for a scalar.</summary>
    public ImmutableArray<int> Shape => ImmutableCollectionsMarshal.AsImmutableArray(_shape);

    /// <summary>The number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>The number of elements (the product of the shape).</summary>
    public int Count { get; }

    /// <summary>
    /// Whether gradients flow to this tensor. Settable on leaves (tensors not produced by an operation);
    /// the result of an operation requires grad when any input does and grad mode is on.
    /// </summary>
    public bool RequiresGrad
    {
        get => _requiresGrad;
        set
        {
            if (Node is not null)
            {
                throw new InvalidOperationException(
                    $"RequiresGrad can only be set on a leaf tensor; this one was produced by '{Node.Name}'. Use Detach() to make a leaf.");
            }

            _requiresGrad = value;
        }
    }

    /// <summary>The gradient accumulated by <see cref="Backward(Tensor?, bool)"/> on a leaf that requires grad; null until then.</summary>
    public Tensor? Grad { get; set; }

    /// <summary>True when the tensor was not produced by a recorded operation.</summary>
    public bool IsLeaf => Node is null;

    /// <summary>The operation that produced this tensor, or null for a leaf.</summary>
    internal Node? Node { get; private set; }

    /// <summary>Creation order; an operation's output always has a larger id than its inputs.</summary>
    internal long Id { get; }

    /// <summary>The id of the most recently created tensor: every tensor created after reading it has a larger <see cref="Id"/>.</summary>
    internal static long LastId => Interlocked.Read(ref s_nextId);

    internal int[] ShapeArray => _shape;

    internal Array Storage => _storage;

    /// <summary>Elementwise view of the data as <typeparamref name="T"/>, which must match <see cref="DType"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal Span<T> Data<T>()
        where T : unmanaged
    {
        return new Span<T>(Unsafe.As<T[]>(_storage), 0, Count);
    }

    internal Span<float> F32 => Data<float>();

    internal Span<double> F64 => Data<double>();

    /// <summary>Attaches the node that produced this tensor (called once, right after the forward kernel).</summary>
    internal Tensor WithNode(Node node)
    {
        Node = node;
        _requiresGrad = true;
        return this;
    }

    /// <summary>A new leaf sharing this tensor's data, with no gradient history.</summary>
    public Tensor Detach() => new(_storage, _shape, DType);

    /// <summary>Copies the elements out as single-precision values (converting from double if needed).</summary>
    public float[] ToArray()
    {
        if (DType == DType.Float32)
        {
            return F32.ToArray();
        }

        var result = new float[Count];
        var source = F64;
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = (float)source[i];
        }

        return result;
    }

    /// <summary>Copies the elements out as double-precision values (converting from single if needed).</summary>
    public double[] ToDoubleArray()
    {
        if (DType == DType.Float64)
        {
            return F64.ToArray();
        }

        var result = new double[Count];
        var source = F32;
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = source[i];
        }

        return result;
    }

    /// <summary>Copies the elements into <paramref name="destination"/>, which must hold exactly <see cref="Count"/> values.</summary>
    public void CopyTo(Span<float> destination)
    {
        if (destination.Length != Count)
        {
            throw new ArgumentException($"CopyTo: destination has {destination.Length} elements, the tensor {Shapes.Format(_shape)} has "
                + $"{Count}.", nameof(destination));
        }

        if (DType == DType.Float32)
        {
            F32.CopyTo(destination);
            return;
        }

        var source = F64;
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = (float)source[i];
        }
    }

    /// <summary>The value of a one-element tensor.</summary>
    /// <exception cref="InvalidOperationException">The tensor has more or fewer than one element.</exception>
    public double Item()
    {
        if (Count != 1)
        {
            throw new InvalidOperationException($"Item: the tensor {Shapes.Format(_shape)} has {Count} elements, not one.");
        }

        return DType == DType.Float32 ? F32[0] : F64[0];
    }

    /// <summary>The element at a flat (row-major) index, as a double.</summary>
    public double GetFlat(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"GetFlat: index outside [0, {Count}).");
        }

        return DType == DType.Float32 ? F32[index] : F64[index];
    }

    /// <summary>The element at the given multi-dimensional index, as a double.</summary>
    public double GetValue(params int[] indices) => GetFlat(ShapeHelper.FlatIndex("GetValue", _shape, indices));

    /// <inheritdoc/>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append("Tensor").Append(Shapes.Format(_shape)).Append(' ').Append(DType == DType.Float32 ? "float32" : "float64");
        if (Node is not null)
        {
            text.Append(" grad_fn=").Append(Node.Name);
        }
        else if (RequiresGrad)
        {
            text.Append(" requires_grad");
        }

        text.Append(" [");
        int shown = Math.Min(Count, 8);
        for (int i = 0; i < shown; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }

            text.Append(GetFlat(i).ToString("G6", CultureInfo.InvariantCulture));
        }

        if (Count > shown)
        {
            text.Append(", ...");
        }

        return text.Append(']').ToString();
    }
}
