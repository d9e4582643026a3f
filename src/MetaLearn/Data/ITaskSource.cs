using MetaLearn.Tensors;

namespace MetaLearn.Data;

/// <summary>A distribution over tasks that can be sampled reproducibly.</summary>
public interface ITaskSource
{
    /// <summary>Draws one task using <paramref name="generator"/> (same generator state, same task).</summary>
    ITask Sample(Generator generator);
}
