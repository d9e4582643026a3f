using MetaLearn.Tensors;

namespace MetaLearn.Data;

/// <summary>Classification examples: inputs [N, ...] and N class labels in [0, classes). Create with <see cref="Examples.Classification"/>.</summary>
public sealed class ClassificationExamples : Examples
{
    private readonly int[] _labels;

    internal ClassificationExamples(Tensor inputs, IReadOnlyList<int> labels)
        : base(inputs, nameof(inputs))
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count != inputs.Shape[0])
        {
            throw new ArgumentException($"Examples: {labels.Count} labels for {inputs.Shape[0]} inputs {Shapes.Format(inputs)}.", nameof(labels));
        }

        _labels = [.. labels];
        foreach (int label in _labels)
        {
            if (label < 0)
            {
                throw new ArgumentException($"Examples: label {label} is negative.", nameof(labels));
            }

            ClassCount = Math.Max(ClassCount, label + 1);
        }
    }

    /// <summary>The label of each example.</summary>
    public IReadOnlyList<int> Labels => _labels;

    /// <summary>One more than the largest label: the number of classes the labels index.</summary>
    public int ClassCount { get; }

    /// <summary>The labels as an array the caller owns (a copy).</summary>
    public int[] LabelArray() => (int[])_labels.Clone();

    /// <inheritdoc/>
    public override Examples Concat(Examples other)
    {
        var more = SameKind<ClassificationExamples>(other);
        return new ClassificationExamples(Tensor.Concat([Inputs, more.Inputs], 0), [.. _labels, .. more._labels]);
    }

    /// <summary>The labels without a copy, for the library's own losses.</summary>
    internal int[] LabelSpan => _labels;
}
