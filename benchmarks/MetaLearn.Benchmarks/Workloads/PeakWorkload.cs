using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Kernels.Simd;

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
    private static double Chain(long iterations) => Lanes512<float>.IsHardwareAccelerated
        ? Chain<Lanes512<float>, Vector512<float>>(iterations)
        : Chain<Lanes256<float>, Vector256<float>>(iterations);

    /// <summary>The FMA chains on one vector width; the JIT specializes it for each.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static double Chain<TLanes, TVector>(long iterations)
        where TLanes : ISimdLanes<TVector, float>
        where TVector : unmanaged
    {
        var m = TLanes.Create(0.999999f);
        var c = TLanes.Create(1e-7f);
        TVector a0 = m, a1 = m, a2 = m, a3 = m, a4 = m, a5 = m, a6 = m, a7 = m, a8 = m, a9 = m, a10 = m, a11 = m;
        for (long i = 0; i < iterations; i++)
        {
            a0 = TLanes.MultiplyAdd(a0, m, c);
            a1 = TLanes.MultiplyAdd(a1, m, c);
            a2 = TLanes.MultiplyAdd(a2, m, c);
            a3 = TLanes.MultiplyAdd(a3, m, c);
            a4 = TLanes.MultiplyAdd(a4, m, c);
            a5 = TLanes.MultiplyAdd(a5, m, c);
            a6 = TLanes.MultiplyAdd(a6, m, c);
            a7 = TLanes.MultiplyAdd(a7, m, c);
            a8 = TLanes.MultiplyAdd(a8, m, c);
            a9 = TLanes.MultiplyAdd(a9, m, c);
            a10 = TLanes.MultiplyAdd(a10, m, c);
            a11 = TLanes.MultiplyAdd(a11, m, c);
        }

        var all = TLanes.Add(TLanes.Add(TLanes.Add(a0, a1), TLanes.Add(a2, a3)), TLanes.Add(TLanes.Add(a4, a5), TLanes.Add(a6, a7)));
        float sink = TLanes.Sum(TLanes.Add(all, TLanes.Add(TLanes.Add(a8, a9), TLanes.Add(a10, a11))));
        return float.IsNaN(sink) ? 0 : iterations * Chains * TLanes.Count * 2.0;
    }
}
