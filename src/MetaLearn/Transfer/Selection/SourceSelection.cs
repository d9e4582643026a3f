using MetaLearn.NN;
using MetaLearn.Tensors;
using MetaLearn.Transfer.FineTuning;

namespace MetaLearn.Transfer.Selection;

/// <summary>
/// Source selection: rank candidate source tasks by their distance to a target task (a learned <see cref="SiameseTaskMetric"/>
/// or a fixed <see cref="MeanEmbeddingDistance"/>), and transfer from the top-ranked ones.
/// </summary>
public static class SourceSelection
{
    /// <summary>The sources ordered from nearest to farthest from <paramref name="target"/> (ties by index).</summary>
    /// <param name="target">The target task's example features [N, F].</param>
    /// <param name="sources">Each source task's example features [M, F].</param>
    /// <param name="distance">The task distance.</param>
    /// <exception cref="ArgumentException">No sources, or a feature set that does not fit.</exception>
    public static IReadOnlyList<RankedSource> RankSources(Tensor target, IReadOnlyList<Tensor> sources, ITaskDistance distance)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(distance);
        if (sources.Count == 0)
        {
            throw new ArgumentException("SourceSelection: no sources to rank.", nameof(sources));
        }

        return [.. sources.Select((s, i) => new RankedSource(i, distance.Distance(target, s))).OrderBy(r => r.Distance).ThenBy(r => r.Index)];
    }

    /// <summary>The <paramref name="sources"/> ordered from nearest to farthest from <paramref name="target"/>.</summary>
    public static IReadOnlyList<RankedSource> RankSources(Tensor target, IReadOnlyList<TransferSource> sources, ITaskDistance distance)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return RankSources(target, [.. sources.Select(s => s.Features)], distance);
    }

    /// <summary>
    /// The transfer pipeline: ranks <paramref name="sources"/> for the target, averages the weights of the
    /// <paramref name="top"/> nearest (one: the nearest source's weights), and returns a fine-tuning learner that starts
    /// every task from them, L2-SP anchored to them.
    /// </summary>
    /// <param name="model">The architecture all sources' weights fit.</param>
    /// <param name="target">The target task's example features [N, F].</param>
    /// <param name="sources">The candidates.</param>
    /// <param name="distance">The task distance.</param>
    /// <param name="top">How many nearest sources to average; at least 1.</param>
    /// <param name="options">The fine-tuning settings.</param>
    /// <exception cref="ArgumentException">A source's weights do not fit the model.</exception>
    public static FineTuneLearner CreateLearner(Module model, Tensor target, IReadOnlyList<TransferSource> sources, ITaskDistance distance,
        int top = 1, FineTuneOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        var ranked = RankSources(target, sources, distance);
        var chosen = ranked.Take(top).Select(r => sources[r.Index]).ToArray();
        var start = AverageWeights([.. chosen.Select(s => s.Weights)]);
        return new FineTuneLearner(model, start, null, options);
    }

    /// <summary>The element-wise mean of several weight lists of the same shapes.</summary>
    /// <exception cref="ArgumentException">No lists, or lists whose counts or shapes differ.</exception>
    public static Tensor[] AverageWeights(IReadOnlyList<IReadOnlyList<Tensor>> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Count == 0)
        {
            throw new ArgumentException("SourceSelection: no weights to average.", nameof(weights));
        }

        var first = weights[0];
        using var noGrad = Tensor.NoGrad();
        var mean = new Tensor[first.Count];
        for (int i = 0; i < mean.Length; i++)
        {
            var sum = first[i].Detach();
            for (int k = 1; k < weights.Count; k++)
            {
                if (weights[k].Count != first.Count || !weights[k][i].Shape.SequenceEqual(first[i].Shape))
                {
                    throw new ArgumentException($"SourceSelection: weight list {k} does not match the first in count or in the shape of tensor {i}.",
                        nameof(weights));
                }

                sum += weights[k][i];
            }

            mean[i] = weights.Count == 1 ? sum.Clone() : sum * (1.0 / weights.Count);
        }

        return mean;
    }
}
