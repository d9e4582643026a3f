using MetaLearn.Tensors;

namespace MetaLearn.Data;

/// <summary>A split of class ids into disjoint meta-train, meta-validation and meta-test sets (tasks never share classes across splits).</summary>
/// <param name="Train">Classes for meta-training.</param>
/// <param name="Validation">Classes for meta-validation (early stopping).</param>
/// <param name="Test">Classes for the final meta-test.</param>
public sealed record ClassSplit(IReadOnlyList<int> Train, IReadOnlyList<int> Validation, IReadOnlyList<int> Test)
{
    /// <summary>Shuffles <paramref name="classes"/> with <paramref name="generator"/> and cuts it by the given fractions (the rest is test).</summary>
    public static ClassSplit Random(IReadOnlyList<int> classes, double trainFraction, double validationFraction, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(generator);
        if (!(trainFraction > 0) || !(validationFraction >= 0) || trainFraction + validationFraction > 1)
        {
            throw new ArgumentException($"ClassSplit: fractions {trainFraction} (train) and {validationFraction} (validation) must be positive "
                + $"and sum to at most 1.", nameof(trainFraction));
        }

        var shuffled = classes.ToArray();
        if (shuffled.Distinct().Count() != shuffled.Length)
        {
            throw new ArgumentException("ClassSplit: the class list has duplicates.", nameof(classes));
        }

        generator.Shuffle<int>(shuffled);
        int train = (int)Math.Round(trainFraction * shuffled.Length);
        int validation = (int)Math.Round(validationFraction * shuffled.Length);
        if (train == 0)
        {
            throw new ArgumentException($"ClassSplit: {shuffled.Length} classes leave none for meta-training.", nameof(classes));
        }

        validation = Math.Min(validation, shuffled.Length - train);
        return new ClassSplit(shuffled[..train], shuffled[train..(train + validation)], shuffled[(train + validation)..]);
    }
}
