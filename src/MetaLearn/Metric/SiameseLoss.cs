namespace MetaLearn.Metric;

/// <summary>What a <see cref="SiameseNetwork"/> is trained to minimize on its pairs.</summary>
public enum SiameseLoss
{
    /// <summary>
    /// Koch et al.'s objective: binary cross-entropy of the head's "same" logit, w·|h₁ − h₂| + b (a learned weighted L1
    /// distance), against the pair label. The pairs are scored by σ(logit).
    /// </summary>
    BinaryCrossEntropy,

    /// <summary>
    /// Contrastive loss (Hadsell, Chopra &amp; LeCun, 2006) on the embeddings: same pairs pulled together, different pairs
    /// pushed at least <see cref="SiameseOptions.Margin"/> apart in Euclidean distance d. The head is not used; a pair is
    /// scored by σ(m/2 − d), so the 0.5 threshold of verification is d = m/2.
    /// </summary>
    Contrastive,
}
