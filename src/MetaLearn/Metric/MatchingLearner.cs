using MetaLearn.Data;
using MetaLearn.Tensors;

namespace MetaLearn.Metric;

/// <summary>A matching network conditioned on one support set: it stores the support embeddings and labels and attends over them.</summary>
internal sealed class MatchingLearner(MatchingNetworks network) : StoredSupportLearner(network)
{
    protected override Tensor Embed(Tensor inputs) => network.Embed(inputs);

    protected override Tensor Scores(Tensor queries, Tensor support, ClassificationExamples examples) =>
        network.Scores(queries, support, examples.Labels, examples.ClassCount);
}
