using MetaLearn.Data;
using MetaLearn.Tensors;

namespace MetaLearn.Tests.MetaLearning;

/// <summary>A task source that counts the tasks drawn from it and records the first value of each, to tell which tasks a run drew.</summary>
internal sealed class CountingTaskSource(ITaskSource inner) : ITaskSource
{
    private readonly List<float> _firstInputs = [];

    /// <summary>How many tasks were drawn.</summary>
    public int Drawn => _firstInputs.Count;

    /// <summary>The first support input of every task drawn, in order: a fingerprint of the task stream.</summary>
    public IReadOnlyList<float> FirstInputs => _firstInputs;

    public ITask Sample(Generator generator)
    {
        var task = inner.Sample(generator);
        _firstInputs.Add(task.Support.Inputs.ToArray()[0]);
        return task;
    }
}
