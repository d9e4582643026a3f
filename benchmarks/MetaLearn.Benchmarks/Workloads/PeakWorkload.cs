using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Benchmarks.Workloads;

/// <summary>
/// The machine's float32 multiply-add peak, measured rather than read from a data sheet (how many FMA units a core has,
/// and whether two logical cores share one physical core, decide it): each thread runs chains of independent fused
/// multiply-adds on the widest vectors the JIT uses, on 1 thread and on all of them. Beside it, the library's GEMM on
/// square float32 matrices, so every conv workload can be quoted as a percentage of both.
/// </summary>
internal static class PeakWorkload
{
    /// <summary>Independent accumulators per thread: enough to cover the FMA latency of every current x64 and ARM core.</summary>
    private const int Chains = 12;

    public static Dictionary<string, object?> Run(WorkloadOptions o)
    {
        int threads = o.Threads;
        int size = 512;
        var result = new Dictionary<string, object?>
        {
            ["vector_bits"] = Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 128,
            ["fma"] = System.Runtime.Intrinsics.X86.Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported,
        };
        result["fma_gflops_1_thread"] = Statistics.Round(Best(() => FmaGflops(1)), 1);
        result["fma_gflops"] = Statistics.Round(Best(() => FmaGflops(threads)), 1);
        WorkloadRunner.Log(o, $"  FMA peak: {result["fma_gflops_1_thread"]} GFLOP/s on 1 thread, {result["fma_gflops"]} on {threads}");

        var a = Tensor.RandomNormal(new Generator(o.Seed), [size, size]);
        var b = Tensor.RandomNormal(new Generator(o.Seed + 1), [size, size]);
        double flop = 2.0 * size * size * size;
        double Gemm(int t)
        {
            Parallelism.MaxDegreeOfParallelism = t;
            _ = Tensor.MatMul(a, b);
            long start = Stopwatch.GetTimestamp();
            int repeats = 0;
            while (Stopwatch.GetElapsedTime(start).TotalSeconds < 1.0)
            {
                _ = Tensor.MatMul(a, b);
                repeats++;
            }

            return repeats * flop / Stopwatch.GetElapsedTime(start).TotalSeconds / 1e9;
        }

        result["gemm_size"] = size;
        result["gemm_gflops_1_thread"] = Statistics.Round(Best(() => Gemm(1)), 1);
        result["gemm_gflops"] = Statistics.Round(Best(() => Gemm(threads)), 1);
        Parallelism.MaxDegreeOfParallelism = threads;
        WorkloadRunner.Log(o, $"  GEMM {size}³: {result["gemm_gflops_1_thread"]} GFLOP/s on 1 thread, {result["gemm_gflops"]} on {threads}");
        return result;
    }

    private static double Best(Func<double> measure)
    {
        double best = 0;
        for (int i = 0; i < 3; i++)
        {
            best = Math.Max(best, measure());
        }

        return best;
    }

    private static double FmaGflops(int threads)
    {
        const long iterations = 20_000_000;
        var work = new double[threads];
        long start = Stopwatch.GetTimestamp();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t => work[t] = Chain(iterations));
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return work.Sum() / seconds / 1e9;
    }

    /// <summary>Runs <paramref name="iterations"/> rounds of <see cref="Chains"/> independent FMAs; returns the FLOP done.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double Chain(long iterations)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            var m = Vector512.Create(0.999999f);
            var c = Vector512.Create(1e-7f);
            Vector512<float> a0 = m, a1 = m, a2 = m, a3 = m, a4 = m, a5 = m, a6 = m, a7 = m, a8 = m, a9 = m, a10 = m, a11 = m;
            for (long i = 0; i < iterations; i++)
            {
                a0 = Vector512.FusedMultiplyAdd(a0, m, c); a1 = Vector512.FusedMultiplyAdd(a1, m, c);
                a2 = Vector512.FusedMultiplyAdd(a2, m, c); a3 = Vector512.FusedMultiplyAdd(a3, m, c);
                a4 = Vector512.FusedMultiplyAdd(a4, m, c); a5 = Vector512.FusedMultiplyAdd(a5, m, c);
                a6 = Vector512.FusedMultiplyAdd(a6, m, c); a7 = Vector512.FusedMultiplyAdd(a7, m, c);
                a8 = Vector512.FusedMultiplyAdd(a8, m, c); a9 = Vector512.FusedMultiplyAdd(a9, m, c);
                a10 = Vector512.FusedMultiplyAdd(a10, m, c); a11 = Vector512.FusedMultiplyAdd(a11, m, c);
            }

            float sink = Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
            return float.IsNaN(sink) ? 0 : iterations * Chains * Vector512<float>.Count * 2.0;
        }
        else
        {
            var m = Vector256.Create(0.999999f);
            var c = Vector256.Create(1e-7f);
            Vector256<float> a0 = m, a1 = m, a2 = m, a3 = m, a4 = m, a5 = m, a6 = m, a7 = m, a8 = m, a9 = m, a10 = m, a11 = m;
            for (long i = 0; i < iterations; i++)
            {
                a0 = Vector256.FusedMultiplyAdd(a0, m, c); a1 = Vector256.FusedMultiplyAdd(a1, m, c);
                a2 = Vector256.FusedMultiplyAdd(a2, m, c); a3 = Vector256.FusedMultiplyAdd(a3, m, c);
                a4 = Vector256.FusedMultiplyAdd(a4, m, c); a5 = Vector256.FusedMultiplyAdd(a5, m, c);
                a6 = Vector256.FusedMultiplyAdd(a6, m, c); a7 = Vector256.FusedMultiplyAdd(a7, m, c);
                a8 = Vector256.FusedMultiplyAdd(a8, m, c); a9 = Vector256.FusedMultiplyAdd(a9, m, c);
                a10 = Vector256.FusedMultiplyAdd(a10, m, c); a11 = Vector256.FusedMultiplyAdd(a11, m, c);
            }

            float sink = Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
            return float.IsNaN(sink) ? 0 : iterations * Chains * Vector256<float>.Count * 2.0;
        }
    }
}
