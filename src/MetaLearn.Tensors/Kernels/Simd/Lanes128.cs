using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace MetaLearn.Tensors.Kernels.Simd;

/// <summary>128-bit lanes (SSE on x64, NEON on ARM64): four floats or two doubles. No masked memory access: kernels pad their last partial vector instead.</summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
internal readonly struct Lanes128<T> : ISimdLanes<Vector128<T>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public static bool IsHardwareAccelerated => Vector128.IsHardwareAccelerated;

    /// <inheritdoc/>
    public static bool IsFused => Fma.IsSupported || AdvSimd.IsSupported;

    /// <inheritdoc/>
    public static bool HasMaskedMemoryAccess => false;

    /// <inheritdoc/>
    public static int Count => Vector128<T>.Count;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Create(T value) => Vector128.Create(value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector128<T> Load(T* source) => Vector128.Load(source);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Store(T* destination, Vector128<T> value) => value.Store(destination);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Add(Vector128<T> x, Vector128<T> y) => x + y;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Subtract(Vector128<T> x, Vector128<T> y) => x - y;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Multiply(Vector128<T> x, Vector128<T> y) => x * y;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MultiplyAdd(Vector128<T> x, Vector128<T> y, Vector128<T> addend)
    {
        if (!IsFused)
        {
            return (x * y) + addend;
        }

        if (typeof(T) == typeof(float))
        {
            return Vector128.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), addend.AsSingle()).As<float, T>();
        }

        return Vector128.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), addend.AsDouble()).As<double, T>();
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Max(Vector128<T> x, Vector128<T> y) => Vector128.Max(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> GreaterThan(Vector128<T> x, Vector128<T> y) => Vector128.GreaterThan(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> LessThan(Vector128<T> x, Vector128<T> y) => Vector128.LessThan(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Equals(Vector128<T> x, Vector128<T> y) => Vector128.Equals(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> IsNaN(Vector128<T> x) => ~Vector128.Equals(x, x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Or(Vector128<T> x, Vector128<T> y) => x | y;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> And(Vector128<T> x, Vector128<T> y) => x & y;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> AndNot(Vector128<T> x, Vector128<T> y) => Vector128.AndNot(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> ConditionalSelect(Vector128<T> mask, Vector128<T> whenTrue, Vector128<T> whenFalse)
        => Vector128.ConditionalSelect(mask, whenTrue, whenFalse);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector128<T> x) => Vector128.Sum(x);

    /// <inheritdoc/>
    public static Vector128<T> FirstLanes(int count) => throw new NotSupportedException("128-bit lanes have no masked memory access.");

    /// <inheritdoc/>
    public static unsafe Vector128<T> LoadMasked(T* source, Vector128<T> mask) => throw new NotSupportedException("128-bit lanes have no masked memory access.");

    /// <inheritdoc/>
    public static unsafe void StoreMasked(T* destination, Vector128<T> mask, Vector128<T> value) => throw new NotSupportedException("128-bit lanes have no masked memory access.");
}
