using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace MetaLearn.Benchmarks.Workloads;

/// <summary>Runs one workload and prints one JSON line with the same fields as the TorchSharp peer's, so the two compare side by side.</summary>
internal static class WorkloadRunner
{
    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    public static int Run(string[] args)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        _ = Clock.Elapsed;
        WorkloadOptions options;
        try
        {
            options = WorkloadOptions.Parse(args);
        }
        catch (ArgumentException error)
        {
            Console.Error.WriteLine("error: " + error.Message);
            Console.Error.WriteLine("usage: workload (sine | omniglot-conv | protonet | siamese | reptile | resnet12 | overhead | peak | orleans-overhead) [--iters N] [--warmup N] [--meta-batch N] [--ways N] [--shots N] [--queries N] [--batch N] [--first-order] [--second-order-only] [--inner-steps N] [--checkpoint] [--threads N] [--seed N] [--eval-tasks N] [--eval-steps N] [--task-batching auto|never|always] [--silos N] [--workers N] [--described] [--quiet]");
            return 2;
        }

        // --threads N caps every level, as the peer's torch.set_num_threads does: meta-batch tasks and a single product's rows.
        MetaLearn.Tensors.Parallelism.MaxDegreeOfParallelism = options.Threads;

        // The idle baseline, right after start-up and before the workload allocates anything: the memory figures above it
        // are what the workload costs, whatever the runtime itself maps (the peers measure theirs after loading libtorch).
        var (baselineRss, _) = ProcessProbe.Memory();
        double? loadStart = ProcessProbe.LoadAverage1();
        var gcPauseStart = GC.GetTotalPauseDuration();
        int[] collectionsStart = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        Dictionary<string, object?> result = options.Workload switch
        {
            "sine" => SineWorkload.Run(options),
            "overhead" => OverheadWorkload.Run(options),
            "orleans-overhead" => OrleansOverheadWorkload.Run(options),
            "omniglot-conv" => OmniglotConvWorkload.Run(options),
            "protonet" => MetricWorkload.Run(options, siamese: false),
            "siamese" => MetricWorkload.Run(options, siamese: true),
            "reptile" => ReptileWorkload.Run(options),
            "resnet12" => ResNet12Workload.Run(options),
            "peak" => PeakWorkload.Run(options),
            _ => throw new ArgumentException($"unknown workload '{options.Workload}'"),
        };

        var header = new Dictionary<string, object?>
        {
            ["workload"] = options.Workload,
            ["impl"] = "metalearn",
            ["dotnet_version"] = Environment.Version.ToString(),
            ["threads"] = options.Threads,
            ["threads_effective"] = MetaLearn.Tensors.Parallelism.MaxDegreeOfParallelism,
            ["tiered_compilation"] = Environment.GetEnvironmentVariable("DOTNET_TieredCompilation") ?? "project default (off)",
            ["seed"] = options.Seed,
            ["glibc_tunables"] = Environment.GetEnvironmentVariable("GLIBC_TUNABLES"),
            ["ld_preload"] = Environment.GetEnvironmentVariable("LD_PRELOAD"),
            ["cpu"] = CpuModel(),
            ["logical_cores"] = Environment.ProcessorCount,
            ["gemm_kernel"] = MetaLearn.Tensors.Kernels.Providers.GemmProvider.Default.Kind.ToString(),
            ["date_utc"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in result)
        {
            header[key] = value;
        }

        var (endRss, peakRss) = ProcessProbe.Memory();
        header["peak_rss_mb"] = peakRss ?? Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0), 1);
        header["rss_baseline_mb"] = baselineRss;
        header["peak_rss_above_baseline_mb"] = Difference(peakRss, baselineRss);
        header["rss_end_mb"] = endRss;
        header["rss_end_above_baseline_mb"] = Difference(endRss, baselineRss);
        header["gc_heap_end_mb"] = Math.Round(GC.GetTotalMemory(false) / (1024.0 * 1024.0), 1);
        header["gc_pause_ms"] = Math.Round((GC.GetTotalPauseDuration() - gcPauseStart).TotalMilliseconds, 1);
        header["gc_collections"] = new[] { GC.CollectionCount(0) - collectionsStart[0], GC.CollectionCount(1) - collectionsStart[1], GC.CollectionCount(2) - collectionsStart[2] };
        header["blas"] = "none: MetaLearn's own kernels (gemm_kernel)";
        header["loadavg1_start"] = loadStart;
        header["loadavg1_end"] = ProcessProbe.LoadAverage1();
        header["wall_s"] = Math.Round(Clock.Elapsed.TotalSeconds, 2);
        Console.Out.WriteLine(JsonSerializer.Serialize(header));
        return 0;
    }

    public static void Log(WorkloadOptions options, string message)
    {
        if (!options.Quiet)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{Clock.Elapsed.TotalSeconds,7:F1}s] {message}"));
        }
    }

    private static double? Difference(double? a, double? b) => a is double x && b is double y ? Math.Round(x - y, 1) : null;

    private static string? CpuModel()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.StartsWith("model name", StringComparison.Ordinal))
                {
                    return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }
}
