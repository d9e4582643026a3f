using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.Tensors;

namespace MetaLearn.Tests.Diagnostics;

/// <summary>
/// A meta-learner whose steps are scripted (meta-loss 1/step, the first task of every even step skipped as non-finite)
/// and whose learners score every class equally, so the telemetry of a run can be predicted exactly. Its type name tags
/// its measurements, so a MeterListener can tell them from other tests' runs.
/// </summary>
internal sealed class ScriptedMetaLearner : IMetaLearner
{
    private Tensor _state = Tensor.Zeros([1]);
    private int _steps;

    /// <summary>5-way 1-shot tasks with 2 queries per class over random 3-feature points.</summary>
    public static ITaskSource Tasks()
    {
        var inputs = Tensor.RandomNormal(new Generator(1), [50, 3]);
        return new FewShotSampler(new InMemoryDataset(inputs, [.. Enumerable.Range(0, 50).Select(i => i / 10)]), 5, 1, 2);
    }

    public MetaStepResult MetaStep(IReadOnlyList<ITask> tasks)
    {
        _steps++;
        int[] skipped = _steps % 2 == 0 ? [0] : [];
        _state = Tensor.FromArray([(float)_steps]);
        return new MetaStepResult(1.0 / _steps, tasks.Count - skipped.Length, skipped, 0.5);
    }

    public ILearner CreateLearner() => new UniformLearner();

    public IReadOnlyList<(string Name, Tensor Value)> ExportState() => [("steps", _state)];

    public void ImportState(IReadOnlyDictionary<string, Tensor> state) => _state = state["steps"];

    private sealed class UniformLearner : ILearner
    {
        public int StepsTaken => 0;

        public void Condition(Examples support)
        {
        }

        public void Adapt(int steps)
        {
        }

        public Tensor Predict(Tensor inputs) => Tensor.Zeros([inputs.Shape[0], 5]);
    }
}
