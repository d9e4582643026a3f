using MetaLearn.MetaLearning;
using MetaLearn.Optim;

namespace MetaLearn.Transfer;

/// <summary>The update rule and learning rate shared by the transfer learners' fine-tuning steps, each checked where it is set.</summary>
public abstract record AdaptationRuleOptions
{
    /// <summary>The update rule (<see cref="FineTuneRule.Adam"/>).</summary>
    public FineTuneRule Rule
    {
        get;
        init => field = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(Rule), value, "Rule must be a defined FineTuneRule.");
    } = FineTuneRule.Adam;

    /// <summary>The base learning rate; finite and positive (0.001 unless the derived options say otherwise).</summary>
    public double LearningRate
    {
        get;
        init => field = OptionChecks.Positive(value, nameof(LearningRate));
    } = 0.001;

    /// <summary>SGD's momentum; finite and non-negative (0). Ignored by Adam.</summary>
    public double Momentum
    {
        get;
        init => field = OptionChecks.NonNegative(value, nameof(Momentum));
    }

    /// <summary>The differentiable update rule these options describe.</summary>
    internal IDifferentiableOptimizer CreateRule()
        => Rule == FineTuneRule.Adam ? new DifferentiableAdam(LearningRate) : new DifferentiableSgd(LearningRate, Momentum);
}
