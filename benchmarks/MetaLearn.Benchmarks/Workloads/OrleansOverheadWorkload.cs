using System.Diagnostics;
using System.Runtime.InteropServices;
using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Orleans;
using MetaLearn.Tensors;

namespace MetaLearn.Benchmarks.Workloads;

/// <summary>
/// The cost of the Orleans executor: the omniglot-conv MAML meta-batch (5-way 1-shot, 15 queries per class, random images,
/// one inner step α = 0.4, Adam 0.001) stepped by the local executor and by <see cref="ClusterMetaBatchExecutor"/> on
/// <c>--silos</c> silos in this process (default 2), alternately on the same tasks; median milliseconds per meta-iteration
/// of each, their ratio, the payload bytes sent and received per meta-iteration, and whether the two runs kept the same bits.
/// Tasks are shipped as tensors, or with <c>--described</c> as a registered source's name and a seed.
/// </summary>
internal static class OrleansOverheadWorkload
{
    private const int Ways = 5, Shots = 1, Queries = 15;
    private const string Learner = "omniglot-conv-maml", Source = "random-omniglot";

    public static Dictionary<string, object?> Run(WorkloadOptions o)
        => Task.Run(() => RunAsync(o)).GetAwaiter().GetResult();

    private static async Task<Dictionary<string, object?>> RunAsync(WorkloadOptions o)
    {
        int metaBatch = o.MetaBatch ?? 32;
        int iters = o.Iters ?? 10;
        int warmup = o.Warmup ?? 3;
        bool firstOrder = o.FirstOrder;
        int workers = o.Workers ?? o.Threads;
        var source = new RandomImageTasks();
        Maml Create(Func<IReadOnlyList<Tensor>, IReadOnlyList<string>, IMetaBatchExecutor>? executor)
            => new(Backbones.OmniglotConvNet(Ways, new Generator(o.Seed)), TaskLosses.CrossEntropy, new MamlOptions { InnerLearningRate = 0.4, FirstOrder = firstOrder, Outer = new OuterLoopOptions { LearningRate = 0.001, Executor = executor } });

        await using var cluster = await LocalhostCluster.StartAsync(r => r.AddLearner(Learner, () => Create(null)).AddTaskSource(Source, source), o.Silos ?? 2);
        ClusterMetaBatchExecutor? executor = null;
        var local = Create(null);
        var distributed = Create(ClusterMetaBatchExecutor.Factory(cluster.Grains, Learner, new ClusterExecutorOptions { Workers = workers }, e => executor = e));
        ITaskSource tasks = o.Described ? new DescribedTaskSource(Source, source) : source;
        WorkloadRunner.Log(o, $"orleans-overhead: {(firstOrder ? "first" : "second")}-order, {warmup}+{iters} iterations, meta-batch {metaBatch}, {cluster.Silos} silos, {workers} workers, tasks {(o.Described ? "described" : "shipped")}");

        var generator = new Generator(o.Seed + 1);
        var localTimes = new List<double>();
        var clusterTimes = new List<double>();
        var sent = new List<double>();
        var received = new List<double>();
        for (int it = 0; it < warmup + iters; it++)
        {
            var batch = Enumerable.Range(0, metaBatch).Select(_ => tasks.Sample(generator)).ToArray();
            long t0 = Stopwatch.GetTimestamp();
            local.MetaStep(batch);
            double localMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            t0 = Stopwatch.GetTimestamp();
            distributed.MetaStep(batch);
            double clusterMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            if (it >= warmup)
            {
                localTimes.Add(localMs);
                clusterTimes.Add(clusterMs);
                sent.Add(executor!.LastRun!.BytesSent);
                received.Add(executor.LastRun.BytesReceived);
            }

            WorkloadRunner.Log(o, $"  iter {it + 1}/{warmup + iters}: local {localMs:F0} ms, cluster {clusterMs:F0} ms, sent {executor!.LastRun!.BytesSent} B, received {executor.LastRun.BytesReceived} B");
        }

        bool same = local.MetaParameters.Zip(distributed.MetaParameters).All(p => MemoryMarshal.AsBytes(p.First.AsSpan<float>()).SequenceEqual(MemoryMarshal.AsBytes(p.Second.AsSpan<float>())));
        double localMedian = Statistics.Median(localTimes), clusterMedian = Statistics.Median(clusterTimes);
        return new Dictionary<string, object?>
        {
            ["data"] = "random normal images (timing only)",
            ["ways"] = Ways,
            ["shots"] = Shots,
            ["queries_per_class"] = Queries,
            ["meta_batch"] = metaBatch,
            ["order"] = firstOrder ? "first" : "second",
            ["silos"] = cluster.Silos,
            ["workers"] = workers,
            ["tasks"] = o.Described ? "described (source name + seed)" : "shipped (tensors)",
            ["iters"] = iters,
            ["warmup_iters"] = warmup,
            ["param_count"] = local.MetaParameters.Sum(p => (long)p.Count),
            ["local_ms_per_iter_median"] = Statistics.Round(localMedian, 1),
            ["cluster_ms_per_iter_median"] = Statistics.Round(clusterMedian, 1),
            ["cluster_over_local"] = Statistics.Round(clusterMedian / localMedian, 3),
            ["bytes_sent_per_iter_median"] = Statistics.Median(sent),
            ["bytes_received_per_iter_median"] = Statistics.Median(received),
            ["same_bits"] = same,
        };
    }

    /// <summary>5-way 1-shot tasks of random 28 × 28 images (the omniglot-conv workload's), reproducible from the generator.</summary>
    private sealed class RandomImageTasks : ITaskSource
    {
        private static readonly int[] SupportLabels = [.. Enumerable.Range(0, Ways * Shots).Select(i => i / Shots)];
        private static readonly int[] QueryLabels = [.. Enumerable.Range(0, Ways * Queries).Select(i => i / Queries)];

        public ITask Sample(Generator generator)
        {
            var support = Tensor.RandomNormal(generator, [Ways * Shots, 1, 28, 28]);
            var query = Tensor.RandomNormal(generator, [Ways * Queries, 1, 28, 28]);
            return new LearningTask(Examples.Classification(support, SupportLabels), Examples.Classification(query, QueryLabels), new TaskMetadata("random", new Dictionary<string, double>()));
        }
    }
}
