using MetaLearn.Tensors;

namespace MetaLearn.NN;

/// <summary>
/// A window onto a flat list of parameter tensors, in the order of <see cref="Module.Parameters"/>. A module reads its
/// own parameters at the start of the window and hands each child the sub-window holding that child's parameters.
/// </summary>
/// <remarks>
/// This is what lets a module run with weights other than its own (MAML's adapted weights): nothing inside the module
/// is replaced or mutated, and indexing costs no dictionary lookup or string building in the inner loop.
/// </remarks>
public readonly struct ParameterView : IEquatable<ParameterView>
{
    private readonly IReadOnlyList<Tensor> _items;
    private readonly int _offset;

    /// <summary>A view of the whole list.</summary>
    public ParameterView(IReadOnlyList<Tensor> items)
        : this(items ?? throw new ArgumentNullException(nameof(items)), 0, items.Count)
    {
    }

    private ParameterView(IReadOnlyList<Tensor> items, int offset, int count)
    {
        _items = items;
        _offset = offset;
        Count = count;
    }

    /// <summary>The number of tensors in the view.</summary>
    public int Count { get; }

    /// <summary>The tensor at <paramref name="index"/> within the view.</summary>
    public Tensor this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, $"Parameter index outside the view of {Count}.");
            }

            return _items[_offset + index];
        }
    }

    /// <summary>The sub-window [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>).</summary>
    public ParameterView Slice(int start, int count)
    {
        if (start < 0 || count < 0 || start + count > Count)
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"Slice [{start}, {start + count}) is outside the view of {Count}.");
        }

        return new ParameterView(_items, _offset + start, count);
    }

    /// <inheritdoc/>
    public bool Equals(ParameterView other) => ReferenceEquals(_items, other._items) && _offset == other._offset && Count == other.Count;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ParameterView other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_items, _offset, Count);

    /// <summary>Same list, offset and count.</summary>
    public static bool operator ==(ParameterView left, ParameterView right) => left.Equals(right);

    /// <summary>Different list, offset or count.</summary>
    public static bool operator !=(ParameterView left, ParameterView right) => !left.Equals(right);
}
