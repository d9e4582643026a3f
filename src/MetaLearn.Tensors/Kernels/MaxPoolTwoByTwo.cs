using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MetaLearn.Tensors.Kernels;

/// <summary>
/// Branch-free float kernels for the common 2×2, stride-2 max pool, one pair of input rows at a time (four outputs per
/// 256-bit step; the last step overlaps the one before when the row is not a multiple of four, which rewrites equal values).
/// With a branch per comparison, random activations mispredict about half of them; this is several times faster.
/// Same results as the scalar kernel: the first maximum in window order (top-left, top-right, bottom-left, bottom-right)
/// wins ties, and a NaN wins over numbers.
/// </summary>
internal static class MaxPoolTwoByTwo
{
    /// <summary>Whether the vector kernels apply to rows of <paramref name="outputs"/> outputs.</summary>
    public static bool Supports(int outputs) => Vector256.IsHardwareAccelerated && outputs >= 4;

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
        var one = Vector256.Create(1f);
        var two = Vector256.Create(2f);
        for (int ox = 0; ; ox += 4)
        {
            ox = Math.Min(ox, n - 4);
            var t = Vector256.LoadUnsafe(ref pt, (nuint)(2 * ox));
            var b = Vector256.LoadUnsafe(ref pb, (nuint)(2 * ox));

            // Down each column: the bottom value only when strictly greater (or the only NaN).
            var takeBottom = Vector256.GreaterThan(b, t) | (IsNaN(b) & ~IsNaN(t));
            var v = Vector256.ConditionalSelect(takeBottom, b, t);
            var vi = Vector256.ConditionalSelect(takeBottom, two, Vector256<float>.Zero);

            // Across each window's two columns (even lanes left, odd lanes right); on ties the smaller offset wins.
            var left = Vector256.Shuffle(v, Vector256.Create(0, 2, 4, 6, 0, 2, 4, 6));
            var right = Vector256.Shuffle(v, Vector256.Create(1, 3, 5, 7, 1, 3, 5, 7));
            var leftAt = Vector256.Shuffle(vi, Vector256.Create(0, 2, 4, 6, 0, 2, 4, 6));
            var rightAt = Vector256.Shuffle(vi, Vector256.Create(1, 3, 5, 7, 1, 3, 5, 7)) + one;
            var takeRight = Vector256.GreaterThan(right, left)
                | (Vector256.Equals(right, left) & Vector256.LessThan(rightAt, leftAt))
                | (IsNaN(right) & ~IsNaN(left));
            Vector256.ConditionalSelect(takeRight, right, left).GetLower().StoreUnsafe(ref py, (nuint)ox);
            Vector256.ConditionalSelect(takeRight, rightAt, leftAt).GetLower().StoreUnsafe(ref po, (nuint)ox);
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
        var column = Vector256.Create(0f, 1f, 0f, 1f, 0f, 1f, 0f, 1f);
        var lowerColumn = column + Vector256.Create(2f);
        var spread = Vector256.Create(0, 0, 1, 1, 2, 2, 3, 3);
        for (int ox = 0; ; ox += 4)
        {
            ox = Math.Min(ox, n - 4);
            var gv = Vector128.LoadUnsafe(ref pg, (nuint)ox);
            var ov = Vector128.LoadUnsafe(ref po, (nuint)ox);
            var gg = Vector256.Shuffle(Vector256.Create(gv, gv), spread);
            var oo = Vector256.Shuffle(Vector256.Create(ov, ov), spread);
            Vector256.ConditionalSelect(Vector256.Equals(oo, column), gg, Vector256<float>.Zero).StoreUnsafe(ref pt, (nuint)(2 * ox));
            Vector256.ConditionalSelect(Vector256.Equals(oo, lowerColumn), gg, Vector256<float>.Zero).StoreUnsafe(ref pb, (nuint)(2 * ox));
            if (ox + 4 >= n)
            {
                break;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> IsNaN(Vector256<float> v) => ~Vector256.Equals(v, v);
}
