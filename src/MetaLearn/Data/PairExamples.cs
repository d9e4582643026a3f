using MetaLearn.Tensors;

namespace MetaLearn.Data;

/// <summary>
/// Pairs of inputs labelled same (true) or different (false): what a Siamese network is trained and verified on. The
/// first inputs are <see cref="Examples.Inputs"/>, the second <see cref="Second"/>. Create with <see cref="Examples.Pairs"/>.
/// </summary>
public sealed class PairExamples : Examples
{
    private readonly bool[] _same;

    internal PairExamples(Tensor first, Tensor second, IReadOnlyList<bool> same)
        : base(first, nameof(first))
    {
        ArgumentNullException.ThrowIfNull(second);
        ArgumentNullException.ThrowIfNull(same);
        if (second.DType != first.DType || !second.Shape.SequenceEqual(first.Shape))
        {
            throw new ArgumentException($"Examples: the second inputs {Shapes.Format(second)} {second.DType} must match the first {Shapes.Format(first)} "
                + $"{first.DType}.", nameof(second));
        }

        if (same.Count != first.Shape[0])
        {
            throw new ArgumentException($"Examples: {same.Count} same/different labels for {first.Shape[0]} pairs.", nameof(same));
        }

        Second = second;
        _same = [.. same];
    }

    /// <summary>The second input of each pair [N, ...].</summary>
    public Tensor Second { get; }

    /// <summary>Whether each pair shows the same class.</summary>
    public IReadOnlyList<bool> Same => _same;

    /// <summary>The labels as a float tensor [N] of 1 (same) and 0 (different), in the inputs' dtype.</summary>
    public Tensor SameTargets()
    {
        var values = new double[_same.Length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = _same[i] ? 1 : 0;
        }

        return Tensor.FromArray(values).AsType(Inputs.DType);
    }

    /// <inheritdoc/>
    public override Examples Concat(Examples other)
    {
        var more = SameKind<PairExamples>(other);
        return new PairExamples(Tensor.Concat([Inputs, more.Inputs], 0), Tensor.Concat([Second, more.Second], 0), [.. _same, .. more._same]);
    }
}
