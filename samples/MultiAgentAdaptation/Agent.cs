using MetaLearn.Data;
using MetaLearn.Tensors;

namespace MultiAgentAdaptation;

/// <summary>One agent of a population: its own task, from which it sees a few examples at a time.</summary>
internal abstract class Agent(string name, int group)
{
    /// <summary>A readable name ("veteran 3 (frequency 2.0)").</summary>
    public string Name { get; } = name;

    /// <summary>The family the agent's task belongs to (unknown to the learners; used only to report).</summary>
    public int Group { get; } = group;

    /// <summary>A support set of <paramref name="examples"/> examples (per class, for classification) and a held-out query set.</summary>
    public abstract ITask Sample(int examples, Generator generator);
}
