using MetaLearn.Tensors;

namespace MetaLearn.Tests;

/// <summary>Sets <see cref="Parallelism.MaxDegreeOfParallelism"/> for a test and restores it; tests that use it run in <see cref="SerialParallelismGroup"/>.</summary>
internal static class TestParallelism
{
    public static Restore Use(int threads)
    {
        int previous = Parallelism.MaxDegreeOfParallelism;
        Parallelism.MaxDegreeOfParallelism = threads;
        return new Restore(previous);
    }

    internal readonly struct Restore(int previous) : IDisposable
    {
        public void Dispose() => Parallelism.MaxDegreeOfParallelism = previous;
    }
}

/// <summary>Tests that change the process-wide thread count run alone, so each runs with exactly the count it sets.</summary>
[CollectionDefinition(nameof(SerialParallelismGroup), DisableParallelization = true)]
public sealed class SerialParallelismGroup;
