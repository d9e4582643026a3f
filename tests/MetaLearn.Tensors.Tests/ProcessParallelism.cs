namespace MetaLearn.Tensors.Tests;

/// <summary>
/// The test classes whose rows set the process-wide <see cref="Parallelism.MaxDegreeOfParallelism"/> (the thread-count
/// rows of the GEMM and fused-op tests): xunit runs this collection alone, with nothing else in parallel, so each row runs
/// with exactly the thread count it sets instead of racing another class's row for the setting.
/// </summary>
[CollectionDefinition(nameof(ProcessParallelism), DisableParallelization = true)]
public sealed class ProcessParallelism;
