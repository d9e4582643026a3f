using BenchmarkDotNet.Running;
using MetaLearn.Benchmarks.Workloads;

// "workload NAME [options]" runs one workload and prints one JSON line (the peer's fields);
// anything else is handed to BenchmarkDotNet (e.g. --filter '*Gemm*').
if (args.Length > 0 && args[0] == "workload")
{
    return WorkloadRunner.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(WorkloadRunner).Assembly).Run(args);
return 0;
