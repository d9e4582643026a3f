using System.Diagnostics;
using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Optim;
using MetaLearn.Tensors;

namespace MetaLearn.Benchmarks.Workloads;

/// <summary>
/// Reptile's Omniglot training step on random 28×28 images (timing only), Nichol et al.'s setting as the Omniglot sample
/// runs it: the MAML conv net with a 5-way head, 5-way 10-shot tasks plus 1 query per class trained on together, 5 inner
/// Adam steps (β1 = 0) on the whole task, meta-batch 5. Reports the median milliseconds per meta-iteration and tasks per second.
/// </summary>
internal static class ReptileWorkload
{
    private const int Ways = 5, Shots = 10, Queries = 1;

    public static Dictionary<string, object?> Run(WorkloadOptions o)
    {
        int iters = o.Iters ?? 10;
        int warmup = o.Warmup ?? 2;
        int metaBatch = o.MetaBatch ?? 5;
        var generator = new Generator(o.Seed);
        var model = Backbones.OmniglotConvNet(Ways, generator);
        var reptile = new Reptile(model, TaskLosses.CrossEntropy, new ReptileOptions { InnerSteps = 5, InnerOptimizer = new DifferentiableAdam(0.001, beta1: 0), IncludeQueryInInnerLoop = true });
        var supportLabels = Enumerable.Range(0, Ways * Shots).Select(i => i / Shots).ToArray();
        var queryLabels = Enumerable.Range(0, Ways * Queries).ToArray();
        var batch = new ITask[metaBatch];
        var times = new List<double>();
        for (int it = 0; it < warmup + iters; it++)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int t = 0; t < metaBatch; t++)
            {
                batch[t] = new LearningTask(
                    Examples.Classification(Tensor.RandomNormal(generator, [Ways * Shots, 1, 28, 28]), supportLabels),
                    Examples.Classification(Tensor.RandomNormal(generator, [Ways * Queries, 1, 28, 28]), queryLabels),
                    new TaskMetadata("random", new Dictionary<string, double>()));
            }

            reptile.MetaStep(batch);
            double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            if (it >= warmup)
            {
                times.Add(ms);
            }

            WorkloadRunner.Log(o, $"  reptile iter {it + 1}/{warmup + iters}: {ms:F0} ms");
        }

        double median = Statistics.Median(times);
        return new Dictionary<string, object?>
        {
            ["data"] = "random normal images 1x28x28 (timing only)",
            ["ways"] = Ways,
            ["shots"] = Shots,
            ["queries_per_class"] = Queries,
            ["inner_steps"] = 5,
            ["inner_optimizer"] = "Adam lr 0.001, beta1 0, on support and query together",
            ["meta_batch"] = metaBatch,
            ["iters"] = iters,
            ["warmup_iters"] = warmup,
            ["param_count"] = model.ParameterElementCount(),
            ["ms_per_iter_median"] = Statistics.Round(median, 1),
            ["tasks_per_s"] = Statistics.Round(1000.0 * metaBatch / median, 2),
        };
    }
}
