using MetaLearn.Tensors.Internal;

namespace MetaLearn.Tensors;

/// <summary>
/// A region of one thread's work whose large intermediate tensors are all dead when it ends (one task of a meta-batch, one
/// training step): their buffers come from a process-wide pool and go back to it on <see cref="Dispose"/>, so the next
/// region reuses them instead of allocating fresh large arrays (page faults, zeroing, garbage-collector pressure).
/// </summary>
/// <remarks>
/// <para>Whoever opens a scope must copy out, with <see cref="Suspend"/> in force, every tensor that outlives it (a loss
/// value, a gradient to keep), and must not keep any other tensor created inside: after <see cref="Dispose"/> their storage
/// belongs to the pool and will be overwritten. Tensors below 1,024 elements are never pooled.</para>
/// <para>Scopes nest and belong to the thread that opened them; dispose them on that thread, innermost first
/// (<c>using var scope = AllocationScope.Begin();</c>).</para>
/// </remarks>
public sealed class AllocationScope : IDisposable
{
    [ThreadStatic]
    private static AllocationScope? t_current;

    private readonly AllocationScope? _previous;
    private readonly Dictionary<Array, (DType DType, long Stamp)> _rented = new(ReferenceEqualityComparer.Instance);
    private long _stamp;
    private bool _disposed;

    private AllocationScope(AllocationScope? previous) => _previous = previous;

    /// <summary>Opens a scope on the current thread.</summary>
    public static AllocationScope Begin() => t_current = new AllocationScope(t_current);

    /// <summary>Storage for a new tensor: pooled when a scope is open and the tensor is large.</summary>
    internal static Array Allocate(DType dtype, int count)
    {
        var scope = t_current;
        if (scope is null || count < BufferPool.MinimumElements)
        {
            return dtype == DType.Float32 ? GC.AllocateUninitializedArray<float>(count) : GC.AllocateUninitializedArray<double>(count);
        }

        var array = BufferPool.Rent(dtype, count);
        scope._rented.Add(array, (dtype, ++scope._stamp));
        return array;
    }

    /// <summary>
    /// A mark of this thread's current scope (0 when none): <see cref="Recycle"/> with it takes back only buffers rented
    /// after it was read.
    /// </summary>
    internal static long Mark => t_current?._stamp ?? 0;

    /// <summary>Whether a scope is open on this thread.</summary>
    internal static bool IsActive => t_current is not null;

    /// <summary>
    /// Hands the storage of a tensor that nothing references any more back to the pool before the scope ends (a gradient
    /// the backward pass is done with, a scratch product). Only buffers the current scope rented after
    /// <paramref name="sinceMark"/> (a <see cref="Mark"/>) are taken: an older buffer may be a view's storage still in use
    /// elsewhere. Anything else is left to the garbage collector.
    /// </summary>
    internal static void Recycle(Tensor tensor, long sinceMark)
    {
        var scope = t_current;
        if (scope is not null && scope._rented.TryGetValue(tensor.Storage, out var entry) && entry.Stamp > sinceMark)
        {
            scope._rented.Remove(tensor.Storage);
            BufferPool.Return(entry.DType, tensor.Storage);
        }
    }

    /// <summary>Allocates normally (outside any scope) on this thread until the returned object is disposed: to copy results out of the scope.</summary>
    public static SuspendedScope Suspend()
    {
        var current = t_current;
        t_current = null;
        return new SuspendedScope(current);
    }

    /// <summary>Closes the scope: every pooled buffer it handed out goes back to the pool.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        t_current = _previous;
        foreach (var (array, (dtype, _)) in _rented)
        {
            BufferPool.Return(dtype, array);
        }

        _rented.Clear();
    }

    /// <summary>A suspension of this thread's scope; disposing it restores the scope.</summary>
    public readonly struct SuspendedScope : IDisposable, IEquatable<SuspendedScope>
    {
        private readonly AllocationScope? _scope;

        internal SuspendedScope(AllocationScope? scope) => _scope = scope;

        /// <summary>Restores the suspended scope on this thread.</summary>
        public void Dispose() => t_current = _scope;

        /// <inheritdoc/>
        public bool Equals(SuspendedScope other) => ReferenceEquals(_scope, other._scope);

        /// <inheritdoc/>
        public override bool Equals(object? obj) => obj is SuspendedScope other && Equals(other);

        /// <inheritdoc/>
        public override int GetHashCode() => _scope?.GetHashCode() ?? 0;

        /// <summary>Whether both suspend the same scope.</summary>
        public static bool operator ==(SuspendedScope left, SuspendedScope right) => left.Equals(right);

        /// <summary>Whether they suspend different scopes.</summary>
        public static bool operator !=(SuspendedScope left, SuspendedScope right) => !left.Equals(right);
    }
}
