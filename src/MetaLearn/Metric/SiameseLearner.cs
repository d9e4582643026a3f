using MetaLearn.Data;
using MetaLearn.Tensors;

namespace MetaLearn.Metric;

/// <summary>
/// A Siamese network conditioned on one support set: it stores the support embeddings, scores each query against every
/// one of them, and gives each class the log of its examples' mean "same" probability.
/// </summary>
internal sealed class SiameseLearner(SiameseNetwork network) : StoredSupportLearner(network)
{
    private Tensor? _averaging;

    protected override void OnConditioned(ClassificationExamples examples, Tensor support) =>
        _averaging = ClassMeans.Matrix(examples.Labels, examples.ClassCount, support.DType);

    protected override Tensor Embed(Tensor inputs) => network.Embed(inputs);

    protected override Tensor Scores(Tensor queries, Tensor support, ClassificationExamples examples) =>
        SiameseNetwork.ClassScores(network.PairLogits(queries, support), _averaging!);
}
