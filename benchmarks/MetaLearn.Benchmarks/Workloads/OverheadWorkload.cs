using System.Diagnostics;
using MetaLearn.Tensors;

namespace MetaLearn.Benchmarks.Workloads;

/// <summary>
/// The peer's <c>overhead</c> workload: h = relu(h @ W) 100 times (h 10×40, W the 40×40 identity, requiring grad), loss =
/// sum: 200 forward ops. Times per forward op for forward, forward+backward, backward alone and forward without recording,
/// and the cost of the cheapest op (a 1-element add).
/// </summary>
internal static class OverheadWorkload
{
    private const int Chain = 100;
    private const int ForwardOps = 2 * Chain;

    public static Dictionary<string, object?> Run(WorkloadOptions o)
    {
        int reps = o.Iters ?? 300;
        int warmup = o.Warmup ?? 30;
        var x = Tensor.RandomNormal(new Generator(o.Seed), [10, 40]);
        var identity = new float[40 * 40];
        for (int i = 0; i < 40; i++)
        {
            identity[(i * 40) + i] = 1;
        }

        var w = Tensor.FromArray(identity, 40, 40);
        w.RequiresGrad = true;
        Tensor Run(Tensor h)
        {
            for (int i = 0; i < Chain; i++)
            {
                h = h.MatMul(w).Relu();
            }

            return h;
        }

        var forward = new List<double>();
        for (int r = 0; r < warmup + reps; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            Run(x);
            Keep(r, warmup, forward, t0);
        }

        var forwardBackward = new List<double>();
        var backward = new List<double>();
        TimeSpan gcPause = TimeSpan.Zero;
        int gcCount = 0;
        for (int r = 0; r < warmup + reps; r++)
        {
            if (r == warmup)
            {
                gcPause = GC.GetTotalPauseDuration();
                gcCount = GC.CollectionCount(0);
            }

            long t0 = Stopwatch.GetTimestamp();
            var loss = Run(x).Sum();
            long t1 = Stopwatch.GetTimestamp();
            loss.Backward();
            Keep(r, warmup, backward, t1);
            Keep(r, warmup, forwardBackward, t0);
            w.Grad = null;
        }

        gcPause = GC.GetTotalPauseDuration() - gcPause;
        gcCount = GC.CollectionCount(0) - gcCount;

        var noGrad = new List<double>();
        for (int r = 0; r < warmup + reps; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            using (Tensor.NoGrad())
            {
                Run(x);
            }

            Keep(r, warmup, noGrad, t0);
        }

        const int tinyOps = 1000;
        var a = Tensor.Ones(1);
        var b = Tensor.Ones(1);
        var tiny = new List<double>();
        for (int r = 0; r < warmup + (reps / 3) + 1; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            using (Tensor.NoGrad())
            {
                for (int i = 0; i < tinyOps; i++)
                {
                    _ = a + b;
                }
            }

            Keep(r, warmup, tiny, t0);
        }

        return new Dictionary<string, object?>
        {
            ["chain"] = "100 x (relu(h[10x40] @ W[40x40])), W requires grad, loss = sum",
            ["forward_ops"] = ForwardOps,
            ["reps"] = reps,
            ["warmup_reps"] = warmup,
            ["us_per_op_fwd_bwd"] = Statistics.Round(Statistics.Median(forwardBackward) / ForwardOps, 3),
            // GC-inclusive: the mean over every timed repetition, so the collections the chain's garbage causes count in full
            // (a median skips the repetitions a collection lands in).
            ["us_per_op_fwd_bwd_mean"] = Statistics.Round(forwardBackward.Average() / ForwardOps, 3),
            ["gc_pause_ms_fwd_bwd"] = Statistics.Round(gcPause.TotalMilliseconds, 2),
            ["gc_collections_fwd_bwd"] = gcCount,
            ["us_per_op_fwd"] = Statistics.Round(Statistics.Median(forward) / ForwardOps, 3),
            ["us_per_op_bwd"] = Statistics.Round(Statistics.Median(backward) / ForwardOps, 3),
            ["us_per_op_fwd_nograd"] = Statistics.Round(Statistics.Median(noGrad) / ForwardOps, 3),
            ["us_per_tiny_add"] = Statistics.Round(Statistics.Median(tiny) / tinyOps, 3),
            ["us_chain_fwd_bwd_median"] = Statistics.Round(Statistics.Median(forwardBackward), 1),
            ["note"] = "us_per_op_* = median time of the whole chain / 200 forward ops; fwd_bwd includes the backward pass; no dispose bookkeeping is needed (garbage-collected tensors)",
        };
    }

    private static void Keep(int rep, int warmup, List<double> times, long start)
    {
        if (rep >= warmup)
        {
            times.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }
    }
}
