using MetaLearn.Tensors;

namespace MetaLearn.Data;

/// <summary>An <see cref="ILabeledDataset"/> over a tensor of inputs [N, ...] and N integer labels.</summary>
public sealed class InMemoryDataset : ILabeledDataset
{
    private readonly Tensor _inputs;
    private readonly Dictionary<int, List<int>> _byClass = [];
    private readonly int[] _classes;

    /// <summary>Creates the dataset; labels may be any non-negative integers.</summary>
    public InMemoryDataset(Tensor inputs, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(labels);
        if (inputs.Rank == 0 || inputs.Shape[0] != labels.Length)
        {
            throw new ArgumentException($"InMemoryDataset: {labels.Length} labels for inputs {Shapes.Format(inputs.Shape)}.", nameof(labels));
        }

        if (labels.Length == 0)
        {
            throw new ArgumentException("InMemoryDataset: the dataset is empty.", nameof(labels));
        }

        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0)
            {
                throw new ArgumentException($"InMemoryDataset: label {labels[i]} at index {i} is negative.", nameof(labels));
            }

            if (!_byClass.TryGetValue(labels[i], out var list))
            {
                _byClass[labels[i]] = list = [];
            }

            list.Add(i);
        }

        _inputs = inputs;
        _classes = [.. _byClass.Keys.Order()];
    }

    /// <inheritdoc/>
    public int Count => _inputs.Shape[0];

    /// <inheritdoc/>
    public IReadOnlyList<int> Classes => _classes;

    /// <inheritdoc/>
    public IReadOnlyList<int> IndicesOf(int classId)
        => _byClass.TryGetValue(classId, out var list) ? list : throw new ArgumentException($"InMemoryDataset: no class {classId}.", nameof(classId));

    /// <inheritdoc/>
    public Tensor GetInputs(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        using var scope = Tensor.NoGrad();
        return _inputs.IndexSelect(0, [.. indices]);
    }
}
