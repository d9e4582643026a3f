namespace MetaLearn.Data.Images;

/// <summary>Which part of a few-shot benchmark's class split to load: its classes never appear in another part.</summary>
public enum FewShotSplit
{
    /// <summary>The meta-training classes ("train").</summary>
    Train,

    /// <summary>The meta-validation classes ("val"), for early stopping and model selection.</summary>
    Validation,

    /// <summary>The meta-test classes ("test"), for the final score.</summary>
    Test,
}
