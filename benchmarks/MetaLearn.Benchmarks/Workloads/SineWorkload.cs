using System.Diagnostics;
using MetaLearn.Data;
using MetaLearn.Evaluation;
using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Benchmarks.Workloads;

/// <summary>
/// The peer's <c>sine</c> workload: MAML on Finn et al.'s sine family (MLP 1-40-40-1, K = 10 support and 10 query, meta-batch
/// 25, one inner SGD step α = 0.01, Adam 0.001), timed per meta-iteration including task sampling, then evaluated on fresh
/// tasks (K = 10, 100 query points, 10 SGD steps) from the meta-trained weights and from the initialization.
/// <para>By default (<see cref="TaskBatching.Auto"/>) the 25 tasks run as a few batched graphs (units of consecutive tasks
/// with a leading task axis) in parallel, labelled <c>batched-units-parallel</c>, the counterpart of the peer's
/// <c>--vectorized</c>; <c>--task-batching never</c> runs one graph per task (tasks in parallel across threads), labelled
/// <c>task-by-task-parallel</c>, the counterpart of the peer's per-task loop.</para>
/// </summary>
internal static class SineWorkload
{
    public static Dictionary<string, object?> Run(WorkloadOptions o)
    {
        int iters = o.Iters ?? 2000;
        int warmup = Math.Min(o.Warmup ?? 20, Math.Max(0, iters - 1));
        int metaBatch = o.MetaBatch ?? 25;
        const int K = 10, Q = 10;
        const double alpha = 0.01, outerLr = 0.001;

        var model = Mlp(new Generator(o.Seed));
        var initial = Mlp(new Generator(o.Seed));
        var maml = new Maml(model, TaskLosses.MeanSquaredError, new MamlOptions { InnerLearningRate = alpha, FirstOrder = o.FirstOrder, TaskBatching = o.TaskBatching, Outer = new OuterLoopOptions { LearningRate = outerLr } });
        string implementation = o.TaskBatching == TaskBatching.Never ? "task-by-task-parallel" : "batched-units-parallel";
        var tasks = new SineTaskDistribution(K, Q);
        var trainGenerator = new Generator(o.Seed + 1000);
        WorkloadRunner.Log(o, $"sine: {(o.FirstOrder ? "first" : "second")}-order, {implementation}, {iters} iterations, meta-batch {metaBatch}");

        var times = new List<double>(iters);
        var losses = new List<double>(iters);
        var batch = new ITask[metaBatch];
        var train = Stopwatch.StartNew();
        for (int it = 0; it < iters; it++)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int t = 0; t < metaBatch; t++)
            {
                batch[t] = tasks.Sample(trainGenerator);
            }

            losses.Add(maml.MetaStep(batch).Loss);
            double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            if (it >= warmup)
            {
                times.Add(ms);
            }

            if (!o.Quiet && (it + 1) % 250 == 0)
            {
                WorkloadRunner.Log(o, $"  iter {it + 1}: meta-loss(avg last 100) {losses.TakeLast(100).Average():F3}, median {Statistics.Median(times):F3} ms/iter");
            }
        }

        double trainSeconds = train.Elapsed.TotalSeconds;
        var result = new Dictionary<string, object?>
        {
            ["order"] = o.FirstOrder ? "first" : "second",
            ["implementation"] = implementation,
            ["task_batching"] = o.TaskBatching.ToString(),
            ["iters"] = iters,
            ["warmup_iters"] = warmup,
            ["meta_batch"] = metaBatch,
            ["k_shot"] = K,
            ["k_query"] = Q,
            ["inner_lr"] = alpha,
            ["inner_steps"] = 1,
            ["outer_lr"] = outerLr,
            ["ms_per_iter_median"] = Statistics.Round(Statistics.Median(times), 3),
            ["ms_per_iter_mean"] = Statistics.Round(times.Count > 0 ? times.Average() : double.NaN, 3),
            ["ms_per_iter_p10"] = Statistics.Round(Statistics.Percentile(times, 0.10), 3),
            ["ms_per_iter_p90"] = Statistics.Round(Statistics.Percentile(times, 0.90), 3),
            ["train_s"] = Statistics.Round(trainSeconds, 2),
            ["meta_loss_first100"] = Statistics.Round(losses.Take(100).DefaultIfEmpty(double.NaN).Average()),
            ["meta_loss_last100"] = Statistics.Round(losses.TakeLast(100).DefaultIfEmpty(double.NaN).Average()),
        };

        if (o.EvalTasks > 1)
        {
            var evalClock = Stopwatch.StartNew();
            var steps = Enumerable.Range(0, o.EvalSteps + 1).ToArray();
            var evalTasks = new SineTaskDistribution(10, 100);
            var trained = MetaEvaluator.Evaluate(maml.CreateLearner, evalTasks, o.EvalTasks, steps, o.Seed + 2000);
            var baseline = MetaEvaluator.Evaluate(new Maml(initial, TaskLosses.MeanSquaredError, new MamlOptions { InnerLearningRate = alpha }).CreateLearner, evalTasks, o.EvalTasks, steps, o.Seed + 2000);
            int last = o.EvalSteps;
            result["eval_tasks"] = o.EvalTasks;
            result["eval_k_shot"] = 10;
            result["eval_query"] = 100;
            result["eval_inner_lr"] = alpha;
            result["maml_mse_step0"] = Statistics.Round(trained[0].MeanLoss);
            result["maml_mse_step1"] = Statistics.Round(trained[1].MeanLoss);
            result["maml_mse_step1_sem"] = Statistics.Round(trained[1].Loss.StandardError);
            result[$"maml_mse_step{last}"] = Statistics.Round(trained[last].MeanLoss);
            result[$"maml_mse_step{last}_sem"] = Statistics.Round(trained[last].Loss.StandardError);
            result["init_mse_step0"] = Statistics.Round(baseline[0].MeanLoss);
            result["init_mse_step1"] = Statistics.Round(baseline[1].MeanLoss);
            result["init_mse_step1_sem"] = Statistics.Round(baseline[1].Loss.StandardError);
            result[$"init_mse_step{last}"] = Statistics.Round(baseline[last].MeanLoss);
            result[$"init_mse_step{last}_sem"] = Statistics.Round(baseline[last].Loss.StandardError);
            result["maml_mse_by_step"] = trained.Select(r => Statistics.Round(r.MeanLoss)).ToArray();
            result["init_mse_by_step"] = baseline.Select(r => Statistics.Round(r.MeanLoss)).ToArray();
            result["eval_s"] = Statistics.Round(evalClock.Elapsed.TotalSeconds, 2);
            WorkloadRunner.Log(o, $"eval: MAML mse step1 {trained[1].MeanLoss:F3} step{last} {trained[last].MeanLoss:F3}; init step1 {baseline[1].MeanLoss:F3} step{last} {baseline[last].MeanLoss:F3}");
        }

        return result;
    }

    /// <summary>The MLP 1-40-40-1 with ReLU and PyTorch's default Linear initialization.</summary>
    internal static Sequential Mlp(Generator generator) => new(
        new Linear(1, 40, generator), new Activation(ActivationKind.Relu),
        new Linear(40, 40, generator), new Activation(ActivationKind.Relu),
        new Linear(40, 1, generator));
}
