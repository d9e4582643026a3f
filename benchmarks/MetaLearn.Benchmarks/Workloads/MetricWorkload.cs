using System.Diagnostics;
using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.Metric;
using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Benchmarks.Workloads;

/// <summary>
/// Training speed of the metric learners on Omniglot-sized random images (timing only), the 4-block conv embedding of
/// 64 filters at 28×28: <c>protonet</c> runs Snell et al.'s training episodes (60-way 5-shot, 5 queries per class: 600
/// images per episode), <c>siamese</c> Koch et al.'s pairs (a task of 64 + 64 balanced pairs: 256 images). Reports the
/// median milliseconds per meta-iteration and episodes or pairs per second.
/// </summary>
internal static class MetricWorkload
{
    public static Dictionary<string, object?> Run(WorkloadOptions o, bool siamese)
    {
        int iters = o.Iters ?? 20;
        int warmup = o.Warmup ?? 3;
        int metaBatch = o.MetaBatch ?? 1;
        int ways = o.Ways ?? 60, shots = o.Shots ?? 5, queries = 5, pairs = 64;
        var generator = new Generator(o.Seed);
        var embedding = Backbones.ConvEmbedding(generator);
        EmbeddingMetaLearner learner = siamese
            ? new SiameseNetwork(embedding, Backbones.ConvEmbeddingSize(28), generator)
            : new PrototypicalNetworks(embedding);
        var result = new Dictionary<string, object?>
        {
            ["data"] = "random normal images 1x28x28 (timing only)",
            ["embedding"] = "4 x [conv 3x3 64, batch norm (batch statistics), ReLU, max-pool 2], flatten (64 features)",
            ["meta_batch"] = metaBatch,
            ["iters"] = iters,
            ["warmup_iters"] = warmup,
            ["param_count"] = learner.Model.ParameterElementCount(),
        };
        if (siamese)
        {
            result["pairs_per_task"] = 2 * pairs;
        }
        else
        {
            result["ways"] = ways;
            result["shots"] = shots;
            result["queries_per_class"] = queries;
        }

        var batch = new ITask[metaBatch];
        var times = new List<double>();
        double lastLoss = double.NaN;
        for (int it = 0; it < warmup + iters; it++)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int t = 0; t < metaBatch; t++)
            {
                batch[t] = siamese ? RandomPairs(generator, pairs) : RandomEpisode(generator, ways, shots, queries);
            }

            lastLoss = learner.MetaStep(batch).Loss;
            double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            if (it >= warmup)
            {
                times.Add(ms);
            }

            WorkloadRunner.Log(o, $"  {(siamese ? "siamese" : "protonet")} iter {it + 1}/{warmup + iters}: {ms:F0} ms, loss {lastLoss:F3}");
        }

        double median = Statistics.Median(times);
        result["ms_per_iter_median"] = Statistics.Round(median, 1);
        result["ms_per_iter_min"] = Statistics.Round(times.Count > 0 ? times.Min() : double.NaN, 1);
        result[siamese ? "pairs_per_s" : "episodes_per_s"] = Statistics.Round(1000.0 * metaBatch * (siamese ? 2 * pairs : 1) / median, 2);
        result["images_per_s"] = Statistics.Round(1000.0 * metaBatch * (siamese ? 4 * pairs : ways * (shots + queries)) / median, 1);
        result["last_loss"] = Statistics.Round(lastLoss);

        // The convolutions' multiply-adds (benchmarks/conv4_flops.py): 28,993,536 per image forward and backward.
        double gflop = 2 * 28_993_536.0 * metaBatch * (siamese ? 4 * pairs : ways * (shots + queries)) / 1e9;
        result["conv_gflop_per_iter"] = Statistics.Round(gflop, 3);
        result["conv_gflops"] = Statistics.Round(gflop * 1000.0 / median, 1);
        return result;
    }

    private static LearningTask RandomEpisode(Generator generator, int ways, int shots, int queries)
        => new(
            Examples.Classification(Tensor.RandomNormal(generator, [ways * shots, 1, 28, 28]), [.. Enumerable.Range(0, ways * shots).Select(i => i / shots)]),
            Examples.Classification(Tensor.RandomNormal(generator, [ways * queries, 1, 28, 28]), [.. Enumerable.Range(0, ways * queries).Select(i => i / queries)]),
            new TaskMetadata("random episode", new Dictionary<string, double>()));

    private static LearningTask RandomPairs(Generator generator, int pairs)
    {
        PairExamples Set() => Examples.Pairs(Tensor.RandomNormal(generator, [pairs, 1, 28, 28]), Tensor.RandomNormal(generator, [pairs, 1, 28, 28]), [.. Enumerable.Range(0, pairs).Select(i => i % 2 == 0)]);
        return new LearningTask(Set(), Set(), new TaskMetadata("random pairs", new Dictionary<string, double>()));
    }
}
