using System.Buffers;

namespace MetaLearn.Tensors.Internal;

/// <summary>A scratch array from the shared pool for the length of a <c>using</c> block: returned when disposed.</summary>
/// <typeparam name="T">The element type.</typeparam>
internal readonly struct RentedArray<T> : IDisposable
{
    /// <summary>Rents an array of at least <paramref name="length"/> elements (its contents are whatever was there).</summary>
    public RentedArray(int length) => Array = ArrayPool<T>.Shared.Rent(length);

    /// <summary>The array: at least the length asked for.</summary>
    public T[] Array { get; }

    /// <inheritdoc/>
    public void Dispose() => ArrayPool<T>.Shared.Return(Array);
}
