using System.Diagnostics;
using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Benchmarks.Workloads;

/// <summary>
/// The peer's <c>omniglot-conv</c> workload (timing only, random images): the MAML Omniglot conv net (4 × [conv 3×3, 64 →
/// batch norm with batch statistics → ReLU → max-pool 2]), 5-way 1-shot with 15 queries per class, meta-batch 32, one inner
/// step α = 0.4, cross-entropy, Adam 0.001; median milliseconds per meta-iteration, second order then first order.
/// <c>--inner-steps K</c> takes K inner steps instead of one and <c>--checkpoint</c> checkpoints them
/// (<see cref="MamlOptions.CheckpointInnerSteps"/>), for the memory of second-order MAML with many steps; <c>--shots N</c>
/// takes N support images per class instead of one, <c>--queries N</c> N query images per class instead of 15 (Finn et al.'s
/// Omniglot code draws as many query images as support images).
/// </summary>
internal static class OmniglotConvWorkload
{
    private const int Ways = 5;

    public static Dictionary<string, object?> Run(WorkloadOptions o)
    {
        int metaBatch = o.MetaBatch ?? 32;
        int iters = o.Iters ?? 10;
        int warmup = o.Warmup ?? 3;
        int innerSteps = o.InnerSteps ?? 1;
        int shots = o.Shots ?? 1;
        int queries = o.Queries ?? 15;
        var generator = new Generator(o.Seed);
        var model = Backbones.OmniglotConvNet(Ways, generator);
        var result = new Dictionary<string, object?>
        {
            ["data"] = "random normal images (timing only)",
            ["ways"] = Ways,
            ["shots"] = shots,
            ["queries_per_class"] = queries,
            ["meta_batch"] = metaBatch,
            ["inner_steps"] = innerSteps,
            ["checkpoint_inner_steps"] = o.Checkpoint,
            ["inner_lr"] = 0.4,
            ["outer_lr"] = 0.001,
            ["batch_norm"] = "BatchNorm2d with batch statistics (no running stats), learnable gamma/beta adapted in the inner loop",
            ["iters"] = iters,
            ["warmup_iters"] = warmup,
            ["param_count"] = model.ParameterElementCount(),
        };

        var orders = new List<bool>();
        if (!o.FirstOrder)
        {
            orders.Add(false);
        }

        if (!o.SecondOrderOnly)
        {
            orders.Add(true);
        }

        var supportLabels = Enumerable.Range(0, Ways * shots).Select(i => i / shots).ToArray();
        var queryLabels = Enumerable.Range(0, Ways * queries).Select(i => i / queries).ToArray();
        foreach (bool firstOrder in orders)
        {
            string tag = firstOrder ? "fo" : "so";
            var maml = new Maml(model, TaskLosses.CrossEntropy, new MamlOptions
            {
                InnerLearningRate = 0.4,
                InnerSteps = innerSteps,
                FirstOrder = firstOrder,
                CheckpointInnerSteps = o.Checkpoint,
                Outer = new OuterLoopOptions { LearningRate = 0.001 },
            });
            WorkloadRunner.Log(o, $"omniglot-conv: {(firstOrder ? "first" : "second")}-order, {warmup}+{iters} iterations, meta-batch {metaBatch}");
            var times = new List<double>();
            double lastLoss = double.NaN;
            var batch = new ITask[metaBatch];
            for (int it = 0; it < warmup + iters; it++)
            {
                long t0 = Stopwatch.GetTimestamp();
                for (int t = 0; t < metaBatch; t++)
                {
                    var support = Tensor.RandomNormal(generator, [Ways * shots, 1, 28, 28]);
                    var query = Tensor.RandomNormal(generator, [Ways * queries, 1, 28, 28]);
                    batch[t] = new LearningTask(Examples.Classification(support, supportLabels), Examples.Classification(query, queryLabels), new TaskMetadata("random", new Dictionary<string, double>()));
                }

                lastLoss = maml.MetaStep(batch).Loss;
                double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                if (it >= warmup)
                {
                    times.Add(ms);
                }

                WorkloadRunner.Log(o, $"  {tag} iter {it + 1}/{warmup + iters}: {ms:F0} ms, loss {lastLoss:F3}");
            }

            result[$"{tag}_ms_per_iter_median"] = Statistics.Round(Statistics.Median(times), 1);
            result[$"{tag}_ms_per_iter_min"] = Statistics.Round(times.Count > 0 ? times.Min() : double.NaN, 1);
            result[$"{tag}_ms_per_iter_max"] = Statistics.Round(times.Count > 0 ? times.Max() : double.NaN, 1);
            result[$"{tag}_last_meta_loss"] = Statistics.Round(lastLoss);
            result[$"{tag}_peak_rss_mb_so_far"] = Statistics.Round(Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0), 1);
        }

        return result;
    }
}
