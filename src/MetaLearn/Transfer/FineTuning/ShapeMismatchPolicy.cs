namespace MetaLearn.Transfer.FineTuning;

/// <summary>What parameter transfer does with a parameter that the source and the target both name but with other shapes (a 5-way head moved to a
/// 20-way task).</summary>
public enum ShapeMismatchPolicy
{
    /// <summary>The target keeps the values it has (its own initialization); the mismatch is reported.</summary>
    Skip,

    /// <summary>
    /// The target's parameter is drawn afresh (PyTorch's default for a weight of rank ≥ 2, ones for a 1-D norm weight,
    /// zeros for a bias), so a new output layer starts from a known state; the mismatch is reported.
    /// </summary>
    Reinitialize,

    /// <summary>The transfer fails, naming every mismatch, and changes nothing.</summary>
    Throw,
}
