using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using MetaLearn.Tensors.Kernels.Simd;

namespace MetaLearn.Tensors.Kernels;

/// <summary>
/// Branch-free float kernels for the common 2×2, stride-2 max pool, one pair of input rows at a time (four outputs per step,
/// in one 256-bit vector per input row, or two 128-bit ones where 256-bit vectors are not accelerated; the last step overlaps
/// the one before when the row is not a multiple of four, which rewrites equal values). With a branch per comparison, random
/// activations mispredict about half of them; this is several times faster. Same results as the scalar kernel: the first
/// maximum in window order (top-left, top-right, bottom-left, bottom-right) wins ties, and a NaN wins over numbers.
/// </summary>
internal static class MaxPoolTwoByTwo
{
    /// <summary>Whether the vector kernels apply to rows of <paramref name="outputs"/> outputs.</summary>
    public static bool Supports(int outputs) => Vector128.IsHardwareAccelerated && outputs >= 4;

    public static void Forward(ReadOnlySpan<float> top, ReadOnlySpan<float> bottom, Span<float> y, Span<float> offsets)
    {
        int n = y.Length;
        if (top.Length < 2 * n || bottom.Length < 2 * n || offsets.Length < n)
        {
            throw new ArgumentException("max_pool2d: row spans are too short.", nameof(top));
        }

        ref float pt = ref MemoryMarshal.GetReference(top);
        ref float pb = ref MemoryMarshal.GetReference(bottom);
        ref float py = ref MemoryMarshal.GetReference(y);
        ref float po = ref MemoryMarshal.GetReference(offsets);
        for (int ox = 0; ; ox += 4)
        {
            ox = Math.Min(ox, n - 4);
            if (Vector256.IsHardwareAccelerated)
            {
                // Down each column, then across each window's two columns (even lanes left, odd lanes right).
                var (v, vi) = Column<Lanes256<float>, Vector256<float>>(Vector256.LoadUnsafe(ref pt, (nuint)(2 * ox)),
                    Vector256.LoadUnsafe(ref pb, (nuint)(2 * ox)));
                var (value, at) = Across<Lanes256<float>, Vector256<float>>(
                    Vector256.Shuffle(v, Vector256.Create(0, 2, 4, 6, 0, 2, 4, 6)),
                    Vector256.Shuffle(v, Vector256.Create(1, 3, 5, 7, 1, 3, 5, 7)),
                    Vector256.Shuffle(vi, Vector256.Create(0, 2, 4, 6, 0, 2, 4, 6)),
                    Vector256.Shuffle(vi, Vector256.Create(1, 3, 5, 7, 1, 3, 5, 7)));
                value.GetLower().StoreUnsafe(ref py, (nuint)ox);
                at.GetLower().StoreUnsafe(ref po, (nuint)ox);
            }
            else
            {
                var (v0, vi0) = Column<Lanes128<float>, Vector128<float>>(Vector128.LoadUnsafe(ref pt, (nuint)(2 * ox)),
                    Vector128.LoadUnsafe(ref pb, (nuint)(2 * ox)));
                var (v1, vi1) = Column<Lanes128<float>, Vector128<float>>(Vector128.LoadUnsafe(ref pt, (nuint)((2 * ox) + 4)),
                    Vector128.LoadUnsafe(ref pb, (nuint)((2 * ox) + 4)));
                var (value, at) = Across<Lanes128<float>, Vector128<float>>(Alternate(v0, v1, 0), Alternate(v0, v1, 1), Alternate(vi0, vi1, 0),
                    Alternate(vi0, vi1, 1));
                value.StoreUnsafe(ref py, (nuint)ox);
                at.StoreUnsafe(ref po, (nuint)ox);
            }

            if (ox + 4 >= n)
            {
                break;
            }
        }
    }

    /// <summary>Writes every position of each window: g at the winner, 0 elsewhere.</summary>
    public static void Scatter(ReadOnlySpan<float> g, ReadOnlySpan<float> offsets, Span<float> top, Span<float> bottom)
    {
        int n = g.Length;
        if (top.Length < 2 * n || bottom.Length < 2 * n || offsets.Length < n)
        {
            throw new ArgumentException("max_pool2d: row spans are too short.", nameof(top));
        }

        ref float pg = ref MemoryMarshal.GetReference(g);
        ref float po = ref MemoryMarshal.GetReference(offsets);
        ref float pt = ref MemoryMarshal.GetReference(top);
        ref float pb = ref MemoryMarshal.GetReference(bottom);
        for (int ox = 0; ; ox += 4)
        {
            ox = Math.Min(ox, n - 4);
            var gv = Vector128.LoadUnsafe(ref pg, (nuint)ox);
            var ov = Vector128.LoadUnsafe(ref po, (nuint)ox);
            if (Vector256.IsHardwareAccelerated)
            {
                // Each output's gradient and winner spread over its window's two columns.
                var spread = Vector256.Create(0, 0, 1, 1, 2, 2, 3, 3);
                var column = Vector256.Create(0f, 1f, 0f, 1f, 0f, 1f, 0f, 1f);
                var gg = Vector256.Shuffle(Vector256.Create(gv, gv), spread);
                var oo = Vector256.Shuffle(Vector256.Create(ov, ov), spread);
                Vector256.ConditionalSelect(Vector256.Equals(oo, column), gg, Vector256<float>.Zero).StoreUnsafe(ref pt, (nuint)(2 * ox));
                Vector256.ConditionalSelect(Vector256.Equals(oo, column + Vector256.Create(2f)), gg, Vector256<float>.Zero).StoreUnsafe(ref pb,
                    (nuint)(2 * ox));
            }
            else
            {
                var column = Vector128.Create(0f, 1f, 0f, 1f);
                var lowerColumn = column + Vector128.Create(2f);
                for (int half = 0; half < 2; half++)
                {
                    var spread = half == 0 ? Vector128.Create(0, 0, 1, 1) : Vector128.Create(2, 2, 3, 3);
                    var gg = Vector128.Shuffle(gv, spread);
                    var oo = Vector128.Shuffle(ov, spread);
                    Vector128.ConditionalSelect(Vector128.Equals(oo, column), gg, Vector128<float>.Zero).StoreUnsafe(ref pt, (nuint)((2 * ox) + (4 * half)));
                    Vector128.ConditionalSelect(Vector128.Equals(oo, lowerColumn), gg, Vector128<float>.Zero).StoreUnsafe(ref pb,
                        (nuint)((2 * ox) + (4 * half)));
                }
            }

            if (ox + 4 >= n)
            {
                break;
            }
        }
    }

    /// <summary>Down each column: the larger of top and bottom (the bottom only when strictly greater, or the only NaN), and its row offset (0 or 2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (TVector Value, TVector Offset) Column<TLanes, TVector>(TVector top, TVector bottom)
        where TLanes : ISimdLanes<TVector, float>
        where TVector : unmanaged
    {
        var takeBottom = Replaces<TLanes, TVector>(bottom, top);
        return (TLanes.ConditionalSelect(takeBottom, bottom, top), TLanes.ConditionalSelect(takeBottom, TLanes.Create(2f), default));
    }

    /// <summary>
    /// Across each window's two columns: the right one when it replaces the left, or ties it from an earlier offset (two NaNs
    /// tie too, so the first NaN in window order wins, as in the scalar kernel).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (TVector Value, TVector Offset) Across<TLanes, TVector>(TVector left, TVector right, TVector leftAt, TVector rightAt)
        where TLanes : ISimdLanes<TVector, float>
        where TVector : unmanaged
    {
        rightAt = TLanes.Add(rightAt, TLanes.Create(1f));
        var tie = TLanes.Or(TLanes.Equals(right, left), TLanes.And(TLanes.IsNaN(right), TLanes.IsNaN(left)));
        var takeRight = TLanes.Or(Replaces<TLanes, TVector>(right, left), TLanes.And(tie, TLanes.LessThan(rightAt, leftAt)));
        return (TLanes.ConditionalSelect(takeRight, right, left), TLanes.ConditionalSelect(takeRight, rightAt, leftAt));
    }

    /// <summary>Where <paramref name="candidate"/> wins over <paramref name="incumbent"/>: strictly greater, or the only NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Replaces<TLanes, TVector>(TVector candidate, TVector incumbent)
        where TLanes : ISimdLanes<TVector, float>
        where TVector : unmanaged
        => TLanes.Or(TLanes.GreaterThan(candidate, incumbent), TLanes.AndNot(TLanes.IsNaN(candidate), TLanes.IsNaN(incumbent)));

    /// <summary>Lanes <paramref name="first"/> and <paramref name="first"/> + 2 (0: the even lanes, 1: the odd ones) of <paramref name="low"/>, then
    /// of <paramref name="high"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Alternate(Vector128<float> low, Vector128<float> high, int first)
    {
        if (Sse.IsSupported)
        {
            return first == 0 ? Sse.Shuffle(low, high, 0b10_00_10_00) : Sse.Shuffle(low, high, 0b11_01_11_01);
        }

        if (AdvSimd.Arm64.IsSupported)
        {
            return first == 0 ? AdvSimd.Arm64.UnzipEven(low, high) : AdvSimd.Arm64.UnzipOdd(low, high);
        }

        return Vector128.Create(low[first], low[first + 2], high[first], high[first + 2]);
    }
}
