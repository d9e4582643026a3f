namespace MetaLearn.Tensors.Internal;

/// <summary>
/// A region of one thread's work whose large intermediate tensors are all dead when it ends (one task of a meta-batch):
/// their buffers come from <see cref="BufferPool"/> and go back to it on <see cref="Dispose"/>.
/// </summary>
/// <remarks>
/// Whoever opens a scope must copy out, with <see cref="Suspend"/> in force, every tensor that outlives it, and must not
/// keep any other tensor created inside: after <see cref="Dispose"/> their storage belongs to the pool.
/// </remarks>
internal sealed class AllocationScope : IDisposable
{
    [ThreadStatic]
    private static AllocationScope? t_current;

    private readonly AllocationScope? _previous;
    private readonly List<(DType DType, Array Array)> _rented = [];
    private bool _disposed;

    private AllocationScope(AllocationScope? previous) => _previous = previous;

    /// <summary>Opens a scope on the current thread.</summary>
    public static AllocationScope Begin() => t_current = new AllocationScope(t_current);

    /// <summary>Storage for a new tensor: pooled when a scope is open and the tensor is large.</summary>
    public static Array Allocate(DType dtype, int count)
    {
        var scope = t_current;
        if (scope is null || count < BufferPool.MinimumElements)
        {
            return dtype == DType.Float32 ? GC.AllocateUninitializedArray<float>(count) : GC.AllocateUninitializedArray<double>(count);
        }

        var array = BufferPool.Rent(dtype, count);
        scope._rented.Add((dtype, array));
        return array;
    }

    /// <summary>Allocates normally until the returned object is disposed (to copy results out of the scope).</summary>
    public static SuspendedScope Suspend()
    {
        var current = t_current;
        t_current = null;
        return new SuspendedScope(current);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        t_current = _previous;
        foreach (var (dtype, array) in _rented)
        {
            BufferPool.Return(dtype, array);
        }

        _rented.Clear();
    }

    /// <summary>Restores the suspended scope.</summary>
    internal readonly struct SuspendedScope(AllocationScope? scope) : IDisposable
    {
        public void Dispose() => t_current = scope;
    }
}
