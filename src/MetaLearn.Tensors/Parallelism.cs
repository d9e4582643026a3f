namespace MetaLearn.Tensors;

/// <summary>
/// The one parallelism setting of the library: how many threads a single operation (a large matrix product) or a
/// meta-batch (its tasks) may use. Results never depend on it: every parallel path sums in a fixed order.
/// </summary>
/// <remarks>
/// Work is split at one grain at a time. A caller that keeps every thread busy at a coarse grain (one task of a meta-batch
/// per thread) runs each task's kernels on its own thread with <see cref="SerialKernels"/>, so no core is handed halves of
/// two products at once.
/// </remarks>
public static class Parallelism
{
    private static int s_maxDegree = Environment.ProcessorCount;

    [ThreadStatic]
    private static bool t_serialKernels;

    /// <summary>The most threads any parallel region of the library uses (at least 1; the processor count by default).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public static int MaxDegreeOfParallelism
    {
        get => Volatile.Read(ref s_maxDegree);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(MaxDegreeOfParallelism));
            Volatile.Write(ref s_maxDegree, value);
        }
    }

    /// <summary>Whether kernels called on this thread may split one operation across threads.</summary>
    internal static bool IntraOpEnabled => !t_serialKernels;

    /// <summary>
    /// Runs the kernels called on this thread on this thread alone until the returned object is disposed (for a caller
    /// that already runs one piece of coarse work per core). Results are unchanged.
    /// </summary>
    public static SerialKernelsScope SerialKernels()
    {
        bool previous = t_serialKernels;
        t_serialKernels = true;
        return new SerialKernelsScope(previous);
    }

    /// <summary>The scope of <see cref="SerialKernels"/>; disposing it restores the thread's previous setting.</summary>
    public readonly struct SerialKernelsScope : IDisposable, IEquatable<SerialKernelsScope>
    {
        private readonly bool _previous;

        internal SerialKernelsScope(bool previous) => _previous = previous;

        /// <summary>Restores the previous setting on this thread.</summary>
        public void Dispose() => t_serialKernels = _previous;

        /// <inheritdoc/>
        public bool Equals(SerialKernelsScope other) => _previous == other._previous;

        /// <inheritdoc/>
        public override bool Equals(object? obj) => obj is SerialKernelsScope other && Equals(other);

        /// <inheritdoc/>
        public override int GetHashCode() => _previous.GetHashCode();

        /// <summary>Whether both restore the same setting.</summary>
        public static bool operator ==(SerialKernelsScope left, SerialKernelsScope right) => left.Equals(right);

        /// <summary>Whether they restore different settings.</summary>
        public static bool operator !=(SerialKernelsScope left, SerialKernelsScope right) => !left.Equals(right);
    }
}
