namespace MetaLearn.Tensors.Internal;

/// <summary>
/// Large float/double arrays kept for reuse by <see cref="AllocationScope"/>: a graph's activations of one size are
/// allocated again on the next task, and reusing them avoids fresh large-object-heap memory (page faults, zeroing) and
/// the growth of memory between full collections.
/// </summary>
internal static class BufferPool
{
    /// <summary>Arrays below this many elements are left to the garbage collector (its young generation handles them well).</summary>
    public const int MinimumElements = 16 * 1024;

    private const long MaximumPooledBytes = 1L << 30;

    private static readonly Dictionary<(DType, int), Stack<Array>> s_free = [];
    private static readonly Lock s_lock = new();
    private static long s_pooledBytes;

    public static Array Rent(DType dtype, int count)
    {
        lock (s_lock)
        {
            if (s_free.TryGetValue((dtype, count), out var stack) && stack.TryPop(out var array))
            {
                s_pooledBytes -= Bytes(dtype, count);
                return array;
            }
        }

        return dtype == DType.Float32 ? GC.AllocateUninitializedArray<float>(count) : GC.AllocateUninitializedArray<double>(count);
    }

    public static void Return(DType dtype, Array array)
    {
        long bytes = Bytes(dtype, array.Length);
        lock (s_lock)
        {
            if (s_pooledBytes + bytes > MaximumPooledBytes)
            {
                return;
            }

            if (!s_free.TryGetValue((dtype, array.Length), out var stack))
            {
                s_free[(dtype, array.Length)] = stack = new Stack<Array>();
            }

            stack.Push(array);
            s_pooledBytes += bytes;
        }
    }

    private static long Bytes(DType dtype, int count) => (long)count * (dtype == DType.Float32 ? sizeof(float) : sizeof(double));
}
