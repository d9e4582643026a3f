using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.Tensors;

namespace MetaLearn.Testing.Tests;

/// <summary>A meta-learner whose meta-training does nothing: it reports steps but never changes the wrapped learner.</summary>
internal sealed class NoOpMetaLearner(IMetaLearner inner) : IMetaLearner
{
    public MetaStepResult MetaStep(IReadOnlyList<ITask> tasks) => new(1.0, tasks.Count, [], 0.0);

    public ILearner CreateLearner() => inner.CreateLearner();

    public IReadOnlyList<(string Name, Tensor Value)> ExportState() => inner.ExportState();

    public void ImportState(IReadOnlyDictionary<string, Tensor> state) => inner.ImportState(state);
}
