using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;

namespace MetaLearn.Extensibility.Tests;

/// <summary>
/// A new meta-learner written outside the library, on its public API alone: an embedding trained so that each query lies
/// nearest its class's mean support embedding (prototypical networks without the extras). About sixty lines.
/// </summary>
public sealed class NearestCentroidMetaLearner(Module embedding, OuterLoopOptions outer)
    : GradientMetaLearner([.. embedding.NamedParameters().Select(p => ("model." + p.Name, p.Value))], outer)
{
    public override ILearner CreateLearner() => new Learner(embedding);

    protected override TaskOutcome ComputeTask(ITask task, int index)
    {
        var support = (ClassificationExamples)task.Support;
        var query = (ClassificationExamples)task.Query;
        var scores = Scores(embedding.Forward(query.Inputs), Prototypes(embedding.Forward(support.Inputs), support));
        var loss = TaskLosses.CrossEntropy(scores, query);
        return new TaskOutcome(loss.Item(), Autograd.Grad([loss], MetaParameters, allowUnused: true));
    }

    protected override IReadOnlyList<(string Name, Tensor Value)> ExportOwnState()
        => [.. embedding.NamedParameters().Select(p => ("model." + p.Name, p.Value.Clone()))];

    protected override void ImportOwnState(IReadOnlyDictionary<string, Tensor> state)
    {
        foreach (var (name, value) in embedding.NamedParameters())
        {
            value.CopyFrom(state["model." + name]);
        }
    }

    /// <summary>The mean embedding of each class, [classes, D].</summary>
    private static Tensor Prototypes(Tensor embedded, ClassificationExamples support)
        => Tensor.Stack([.. Enumerable.Range(0, support.ClassCount).Select(c =>
            embedded.IndexSelect(0, [.. Enumerable.Range(0, support.Count).Where(i => support.Labels[i] == c)]).Mean(0))]);

    /// <summary>Negative squared Euclidean distances, [queries, classes]: larger is nearer.</summary>
    private static Tensor Scores(Tensor queries, Tensor prototypes)
        => -(queries.Unsqueeze(1) - prototypes.Unsqueeze(0)).Square().Sum(2);

    private sealed class Learner(Module embedding) : ILearner
    {
        private Tensor? _prototypes;

        public int StepsTaken { get; private set; }

        public void Condition(Examples support)
        {
            using var noGrad = Tensor.NoGrad();
            var classification = support as ClassificationExamples ?? throw new ArgumentException("Needs classification examples.", nameof(support));
            _prototypes = Prototypes(embedding.Forward(classification.Inputs), classification);
            StepsTaken = 0;
        }

        public void Adapt(int steps) => StepsTaken += steps;

        public Tensor Predict(Tensor inputs)
        {
            using var noGrad = Tensor.NoGrad();
            return Scores(embedding.Forward(inputs), _prototypes ?? throw new InvalidOperationException("Condition first."));
        }
    }
}
