namespace MetaLearn.Data;

/// <summary>One learning problem: a support set to adapt on and a query set to evaluate on.</summary>
public interface ITask
{
    /// <summary>The examples a learner adapts to.</summary>
    Examples Support { get; }

    /// <summary>The held-out examples the adapted learner is scored on.</summary>
    Examples Query { get; }

    /// <summary>What the task is.</summary>
    TaskMetadata Metadata { get; }
}
