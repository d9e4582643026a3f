namespace MetaLearn.Transfer;

/// <summary>The update rule of a transfer learner's fine-tuning steps.</summary>
public enum FineTuneRule
{
    /// <summary>Plain gradient descent (with momentum when asked).</summary>
    Sgd,

    /// <summary>Adam (Kingma &amp; Ba 2015): robust to the scale of a new head's gradients.</summary>
    Adam,
}
