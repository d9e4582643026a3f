namespace MetaLearn.Data;

/// <summary>The plain <see cref="ITask"/>: a support set, a query set and metadata.</summary>
public sealed class LearningTask : ITask
{
    /// <summary>Creates the task; support and query must be examples of one kind (both regression, both classification or both pairs).</summary>
    public LearningTask(Examples support, Examples query, TaskMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(support);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(metadata);
        if (support.GetType() != query.GetType())
        {
            throw new ArgumentException($"LearningTask: support ({support.GetType().Name}) and query ({query.GetType().Name}) must be examples "
                + $"of one kind.", nameof(query));
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
