using MetaLearn.Data;
using MetaLearn.Tensors;

namespace MetaLearn.Metric;

/// <summary>
/// A ridge-regression discriminator conditioned on one support set: it solves for the ridge weights once and scores each
/// query with them.
/// </summary>
internal sealed class RidgeRegressionLearner(RidgeRegressionDiscriminator network) : StoredSupportLearner(network)
{
    private Tensor? _weights;

    protected override void OnConditioned(ClassificationExamples examples, Tensor support) =>
        _weights = network.RidgeWeights(support, examples.Labels, examples.ClassCount);

    protected override Tensor Embed(Tensor inputs) => network.Embed(inputs);

    protected override Tensor Scores(Tensor queries, Tensor support, ClassificationExamples examples) => network.Logits(queries, _weights!);
}
