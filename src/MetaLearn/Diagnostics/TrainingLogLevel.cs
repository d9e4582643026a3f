namespace MetaLearn.Diagnostics;

/// <summary>How important a <see cref="TrainingLogEntry"/> is (the levels of Microsoft.Extensions.Logging that training uses).</summary>
public enum TrainingLogLevel
{
    /// <summary>Detail for following a run closely: every checkpoint written.</summary>
    Debug,

    /// <summary>The course of a run: start, progress, validation, early stop, end.</summary>
    Information,

    /// <summary>Something was dropped: tasks skipped for a non-finite loss or gradient.</summary>
    Warning,
}
