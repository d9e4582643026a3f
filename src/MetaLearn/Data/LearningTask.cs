namespace MetaLearn.Data;

/// <summary>The plain <see cref="ITask"/>: a support set, a query set and metadata.</summary>
public sealed class LearningTask : ITask
{
    /// <summary>Creates the task; support and query must be of the same kind (both regression or both classification).</summary>
    public LearningTask(Examples support, Examples query, TaskMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(support);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(metadata);
        if (support.IsClassification != query.IsClassification)
        {
            throw new ArgumentException("LearningTask: support and query must both be classification or both regression.", nameof(query));
        }

        Support = support;
        Query = query;
        Metadata = metadata;
    }

    /// <inheritdoc/>
    public Examples Support { get; }

    /// <inheritdoc/>
    public Examples Query { get; }

    /// <inheritdoc/>
    public TaskMetadata Metadata { get; }
}
