namespace MetaLearn.NN;

/// <summary>How a loss combines its per-example (or per-element) values.</summary>
public enum Reduction
{
    /// <summary>The mean (the default, as in PyTorch).</summary>
    Mean,

    /// <summary>The sum.</summary>
    Sum,

    /// <summary>No reduction: the per-example (or per-element) losses.</summary>
    None,
}
