using MetaLearn.MetaLearning;

namespace MetaLearn.Transfer;

/// <summary>Settings of <see cref="RelationTransferLearner"/>'s optional fine-tuning on the target's pairs, each checked where it is set.</summary>
public sealed record RelationTransferOptions : AdaptationRuleOptions
{
    /// <summary>The relation's parameters that are fine-tuned (all by default; e.g. only "relation." keeps the embedding).</summary>
    public ParameterSelection Trained
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Trained));
    } = ParameterSelection.All;

    /// <summary>α of L2-SP toward the transferred relation's weights; finite and non-negative (0: off).</summary>
    public double L2SPAlpha
    {
        get;
        init => field = OptionChecks.NonNegative(value, nameof(L2SPAlpha));
    }
}
