using MetaLearn.Tensors;

namespace MetaLearn.Data;

/// <summary>
/// A set of examples: inputs [N, ...] and either regression targets [N, ...] or class labels (N integers).
/// </summary>
public sealed class Examples
{
    /// <summary>Regression examples.</summary>
    public Examples(Tensor inputs, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        CheckBatch(inputs, nameof(inputs));
        if (targets.Rank == 0 || targets.Shape[0] != inputs.Shape[0])
        {
            throw new ArgumentException($"Examples: targets {Format(targets)} must have the {inputs.Shape[0]} rows of inputs {Format(inputs)}.", nameof(targets));
        }

        Inputs = inputs;
        Targets = targets;
    }

    /// <summary>Classification examples with labels in [0, classes).</summary>
    public Examples(Tensor inputs, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(labels);
        CheckBatch(inputs, nameof(inputs));
        if (labels.Length != inputs.Shape[0])
        {
            throw new ArgumentException($"Examples: {labels.Length} labels for {inputs.Shape[0]} inputs {Format(inputs)}.", nameof(labels));
        }

        foreach (int label in labels)
        {
            if (label < 0)
            {
                throw new ArgumentException($"Examples: label {label} is negative.", nameof(labels));
            }
        }

        Inputs = inputs;
        Labels = labels;
    }

    /// <summary>The inputs, first axis indexing examples.</summary>
    public Tensor Inputs { get; }

    /// <summary>Regression targets, or null for classification.</summary>
    public Tensor? Targets { get; }

    /// <summary>Class labels, or null for regression.</summary>
    public int[]? Labels { get; }

    /// <summary>The number of examples.</summary>
    public int Count => Inputs.Shape[0];

    /// <summary>Whether the examples carry class labels.</summary>
    public bool IsClassification => Labels is not null;

    private static void CheckBatch(Tensor inputs, string name)
    {
        if (inputs.Rank == 0 || inputs.Shape[0] == 0)
        {
            throw new ArgumentException($"Examples: inputs {Format(inputs)} must have at least one example along the first axis.", name);
        }
    }

    private static string Format(Tensor t) => "[" + string.Join(", ", t.Shape) + "]";
}
