using MetaLearn.Tensors;

namespace MetaLearn.Data;

/// <summary>
/// A set of examples whose first input axis indexes the examples: regression examples with target tensors, classification
/// examples with integer labels, or pairs of inputs labelled same or different. Create them with
/// <see cref="Regression"/>, <see cref="Classification"/> or <see cref="Pairs"/>, and tell them apart with pattern matching
/// (<c>examples is ClassificationExamples c</c>).
/// </summary>
public abstract class Examples
{
    private protected Examples(Tensor inputs, string paramName)
    {
        ArgumentNullException.ThrowIfNull(inputs, paramName);
        if (inputs.Rank == 0 || inputs.Shape[0] == 0)
        {
            throw new ArgumentException($"Examples: inputs {Shapes.Format(inputs)} must have at least one example along the first axis.", paramName);
        }

        Inputs = inputs;
    }

    /// <summary>The inputs [N, ...] (for pairs: the first input of each pair).</summary>
    public Tensor Inputs { get; }

    /// <summary>The number of examples N.</summary>
    public int Count => Inputs.Shape[0];

    /// <summary>Regression examples: inputs [N, ...] and targets [N, ...].</summary>
    /// <exception cref="ArgumentException">A tensor is empty or the first dimensions differ.</exception>
    public static RegressionExamples Regression(Tensor inputs, Tensor targets) => new(inputs, targets);

    /// <summary>Classification examples: inputs [N, ...] and N labels in [0, classes).</summary>
    /// <exception cref="ArgumentException">The inputs are empty, the counts differ or a label is negative.</exception>
    public static ClassificationExamples Classification(Tensor inputs, IReadOnlyList<int> labels) => new(inputs, labels);

    /// <summary>Pairs of inputs [N, ...] and [N, ...] with N same/different labels (true: the two show the same class).</summary>
    /// <exception cref="ArgumentException">The inputs are empty, their shapes or dtypes differ, or the label count differs.</exception>
    public static PairExamples Pairs(Tensor first, Tensor second, IReadOnlyList<bool> same) => new(first, second, same);

    /// <summary>These examples followed by <paramref name="other"/>'s, which must be of the same kind.</summary>
    /// <exception cref="ArgumentException">The kinds or the per-example shapes differ.</exception>
    public abstract Examples Concat(Examples other);


    private protected T SameKind<T>(Examples other)
        where T : Examples
    {
        ArgumentNullException.ThrowIfNull(other);
        return other as T ?? throw new ArgumentException($"Concat: cannot join {GetType().Name} with {other.GetType().Name}.", nameof(other));
    }
}
