using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using MetaLearn.Tensors.Kernels.Simd;

namespace MetaLearn.Tensors.Kernels.Providers;

/// <summary>
/// The register-blocked micro-kernels of the matrix product, written once for any vector width (<typeparamref name="TLanes"/>)
/// and specialized by the JIT for each.
/// </summary>
/// <remarks>
/// <para>
/// A tile of up to 6 rows × 2 vectors of C (6×32 floats with 512-bit vectors, 6×16 with 256, 6×8 with 128) is accumulated in
/// twelve registers over the whole k range, broadcasting A's elements and streaming B's rows, so twelve independent chains of
/// multiply-adds hide their latency. A last panel of one vector or less uses tiles of up to 12 rows × 1 vector, for the same
/// twelve chains.
/// </para>
/// <para>
/// When enough rows will pass over them, blocks of B's columns are copied into contiguous, cache-aligned panels (sized for
/// L2), and blocks of A's rows (sized for L1) pass over every panel of a block; the few columns left after the whole vectors
/// are copied into a zero-padded panel, computed into a small buffer and copied out. With masked memory access (AVX-512),
/// products read B in place instead, column panels the outer loop, and the last, partial panel under
/// a lane mask, so narrow products (n = 1, n = 40) compute no padding columns; they pack only a B whose rows alias in the
/// L1 cache (see <see cref="AliasingStride"/>). Either way a column's value is the same whichever tile computes it:
/// the same products summed in the same order.
/// </para>
/// <para>
/// Stack buffers are not zeroed (<see cref="SkipLocalsInitAttribute"/>): packing writes every element a kernel reads, padding
/// included, and the tail buffer is written by the kernel before it is copied out.
/// </para>
/// </remarks>
/// <typeparam name="TLanes">The vector operations of one width.</typeparam>
/// <typeparam name="TVector">That width's vector of <typeparamref name="T"/>.</typeparam>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
[SkipLocalsInit]
internal static class RegisterTiles<TLanes, TVector, T>
    where TLanes : ISimdLanes<TVector, T>
    where TVector : unmanaged
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>A packed panel up to this size is laid out on the stack rather than in a rented array.</summary>
    private const int StackScratchBytes = 16 * 1024;

    /// <summary>Packed panels start on a cache line, so no vector load straddles two.</summary>
    private const int CacheLineBytes = 64;

    /// <summary>Rows of the last, partial panel computed per pass into a stack buffer (a multiple of the 12-row narrow tile).</summary>
    private const int TailRows = 48;

    /// <summary>
    /// From this many rows on, widths without masked access copy B into contiguous panels before the row tiles pass over them
    /// (fewer rows do not repay the copy). B's rows are often a multiple of 4 KiB apart, which maps a panel read in place onto
    /// a few cache sets that it then thrashes; packed, it streams.
    /// </summary>
    private const int PackRows = 24;

    /// <summary>
    /// Masked widths pack B only when its rows are a multiple of this many bytes apart: read in place, such a panel maps onto
    /// a few L1 sets and thrashes them (512³ in float ran at 34 GFLOP/s in place and 64 packed on a Xeon with a 142 GFLOP/s
    /// one-core peak); other strides run as fast in place, and the convolutions' products gained nothing from the copy.
    /// </summary>
    private const int AliasingStride = 2048;

    /// <summary>About how much of packed B is kept at once (a block of columns), so that it stays in the L2 cache.</summary>
    private const int PackedBytes = 192 * 1024;

    /// <summary>
    /// About how much of A one block of rows spans (at least one 12-row block), so that it stays in the L1 cache while it passes
    /// over every packed panel (measured on a Zen 3: 36-row blocks of k = 576 ran at half the speed of 12-row ones).
    /// </summary>
    private const int RowBlockBytes = 32 * 1024;

    /// <inheritdoc cref="IGemmKernel.MultiplyRows(float*, float*, float*, int, int, int, int, int, int, int, bool)"/>
    public static unsafe void MultiplyRows(T* a, T* b, T* c, int first, int last, int n, int ldb, int k, int rowStride, int columnStride, bool accumulate)
    {
        int width = TLanes.Count;
        bool pack = last - first >= PackRows && n >= width;
        if (TLanes.HasMaskedMemoryAccess && !(pack && (long)ldb * sizeof(T) % AliasingStride == 0))
        {
            MultiplyRowsMasked(a, b, c, first, last, n, ldb, k, rowStride, columnStride, accumulate);
            return;
        }

        int chunk = pack ? (int)Math.Min(n, Math.Max(1, PackedBytes / ((long)k * sizeof(T) * 2 * width)) * 2 * width) : width;
        int length = pack || n % width != 0 ? checked((k * RoundUp(chunk, width)) + (CacheLineBytes / sizeof(T))) : 0;
        T[]? rented = null;
        try
        {
            Span<T> scratch = length * sizeof(T) <= StackScratchBytes
                ? stackalloc T[length]
                : (rented = ArrayPool<T>.Shared.Rent(length)).AsSpan(0, length);
            fixed (T* pScratch = scratch)
            {
                T* packed = (T*)(((nint)pScratch + (CacheLineBytes - 1)) & ~(nint)(CacheLineBytes - 1));
                if (!pack)
                {
                    Panels(a, b, ldb, false, packed, c, n, first, last, k, rowStride, columnStride, accumulate, n);
                    return;
                }

                // Blocks of columns (packed once) outside, blocks of rows inside: both stay in cache while they meet.
                int rowBlock = (int)Math.Max(1, RowBlockBytes / ((long)k * sizeof(T) * 12)) * 12;
                for (int j = 0; j < n; j += chunk)
                {
                    int columns = Math.Min(chunk, n - j);
                    PackPanels(b + j, ldb, k, columns, packed);
                    for (int i = first; i < last; i += rowBlock)
                    {
                        Panels(a, packed, 0, true, packed, c + j, n, i, Math.Min(last, i + rowBlock), k, rowStride, columnStride, accumulate, columns);
                    }
                }
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<T>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// C rows [first, last) of <paramref name="columns"/> columns: panels of two vectors, then at most one of one vector, then
    /// the columns left over through <see cref="PaddedTail"/>. B is either in place (rows <paramref name="ldb"/> apart; the
    /// leftover columns are packed into <paramref name="scratch"/>) or <paramref name="packed"/> as <see cref="PackPanels"/>
    /// lays it out.
    /// </summary>
    private static unsafe void Panels(T* a, T* b, int ldb, bool packed, T* scratch, T* c, int ldc, int first, int last, int k, int rowStride,
        int columnStride, bool accumulate, int columns)
    {
        int width = TLanes.Count;
        var whole = WholeVector;
        int j = 0;
        for (; j + (2 * width) <= columns; j += 2 * width)
        {
            Panel(a, packed ? b : b + j, packed ? 2 * width : ldb, c + j, ldc, first, last, k, rowStride, columnStride, accumulate, whole);
            b += packed ? k * 2 * width : 0;
        }

        if (columns - j >= width)
        {
            PanelNarrow(a, packed ? b : b + j, packed ? width : ldb, c + j, ldc, first, last, k, rowStride, columnStride, accumulate, whole);
            b += packed ? k * width : 0;
            j += width;
        }

        if (j < columns)
        {
            if (!packed)
            {
                Pack(b + j, ldb, k, columns - j, width, scratch);
                b = scratch;
            }

            PaddedTail(a, b, c + j, ldc, first, last, k, rowStride, columnStride, accumulate, columns - j);
        }
    }

    /// <summary>
    /// Copies <paramref name="columns"/> columns of B's rows into consecutive panels, in the order <see cref="Panels"/> visits
    /// them: [k × 2 vectors] for each whole pair of vectors, then [k × 1 vector] for a whole vector left, then the rest padded
    /// with zeros to [k × 1 vector].
    /// </summary>
    private static unsafe void PackPanels(T* b, int ldb, int k, int columns, T* destination)
    {
        int width = TLanes.Count;
        int j = 0;
        for (; j + (2 * width) <= columns; j += 2 * width, destination += k * 2 * width)
        {
            Pack(b + j, ldb, k, 2 * width, 2 * width, destination);
        }

        for (; j < columns; j += width, destination += k * width)
        {
            Pack(b + j, ldb, k, Math.Min(width, columns - j), width, destination);
        }
    }

    /// <summary>The mask of every lane on masked widths (whole vectors through the masked loads and stores); unused elsewhere.</summary>
    private static TVector WholeVector => TLanes.HasMaskedMemoryAccess ? TLanes.FirstLanes(TLanes.Count) : default;

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>Widths with masked access read B in place and its last, partial panel under a mask.</summary>
    private static unsafe void MultiplyRowsMasked(
        T* a, T* b, T* c, int first, int last, int n, int ldb, int k, int rowStride, int columnStride, bool accumulate)
    {
        int width = TLanes.Count;
        int panel = 2 * width;
        var all = TLanes.FirstLanes(width);
        int j = 0;
        for (; j + panel <= n; j += panel)
        {
            Panel(a, b + j, ldb, c + j, n, first, last, k, rowStride, columnStride, accumulate, all);
        }

        if (j < n && n - j > width)
        {
            Panel(a, b + j, ldb, c + j, n, first, last, k, rowStride, columnStride, accumulate, TLanes.FirstLanes(n - j - width));
        }
        else if (j < n)
        {
            PanelNarrow(a, b + j, ldb, c + j, n, first, last, k, rowStride, columnStride, accumulate, TLanes.FirstLanes(n - j));
        }
    }

    /// <summary>
    /// Copies <paramref name="columns"/> columns of B's <paramref name="k"/> rows (<paramref name="ldb"/> apart) into rows of
    /// <paramref name="width"/> elements at <paramref name="destination"/>, padding each with zeros.
    /// </summary>
    private static unsafe void Pack(T* b, int ldb, int k, int columns, int width, T* destination)
    {
        for (int p = 0; p < k; p++)
        {
            var row = new Span<T>(destination + ((long)p * width), width);
            new ReadOnlySpan<T>(b + ((long)p * ldb), columns).CopyTo(row);
            row[columns..].Clear();
        }
    }

    /// <summary>
    /// The last <paramref name="columns"/> columns (fewer than one vector) from their packed, zero-padded panel: each block of
    /// rows is computed into a stack buffer whose first columns are then stored (or added) to C.
    /// </summary>
    private static unsafe void PaddedTail(T* a, T* packed, T* c, int ldc, int first, int last, int k, int rowStride, int columnStride,
        bool accumulate, int columns)
    {
        int width = TLanes.Count;
        T* tile = stackalloc T[TailRows * width];
        for (int i = first; i < last; i += TailRows)
        {
            int rows = Math.Min(TailRows, last - i);
            PanelNarrow(a + ((long)i * rowStride), packed, width, tile, width, 0, rows, k, rowStride, columnStride, false, WholeVector);
            for (int r = 0; r < rows; r++)
            {
                T* source = tile + (r * width);
                T* target = c + ((long)(i + r) * ldc);
                for (int col = 0; col < columns; col++)
                {
                    target[col] = accumulate ? source[col] + target[col] : source[col];
                }
            }
        }
    }

    /// <summary>
    /// One column panel of more than one vector and at most two (B and C pointers at its first column), for rows [first, last);
    /// the second vector is read and written under <paramref name="mask"/> when the panel is partial (masked widths only).
    /// </summary>
    private static unsafe void Panel(T* a, T* b, int ldb, T* c, int ldc, int first, int last, int k, int rowStride, int columnStride, bool accumulate,
        TVector mask)
    {
        for (int i = first; i < last; i += 6)
        {
            T* aTile = a + ((long)i * rowStride);
            T* target = c + ((long)i * ldc);
            switch (Math.Min(6, last - i))
            {
                case 6: Tile<Six>(aTile, rowStride, columnStride, b, ldb, target, ldc, k, accumulate, mask); break;
                case 5: Tile<Five>(aTile, rowStride, columnStride, b, ldb, target, ldc, k, accumulate, mask); break;
                case 4: Tile<Four>(aTile, rowStride, columnStride, b, ldb, target, ldc, k, accumulate, mask); break;
                case 3: Tile<Three>(aTile, rowStride, columnStride, b, ldb, target, ldc, k, accumulate, mask); break;
                case 2: Tile<Two>(aTile, rowStride, columnStride, b, ldb, target, ldc, k, accumulate, mask); break;
                default: Tile<One>(aTile, rowStride, columnStride, b, ldb, target, ldc, k, accumulate, mask); break;
            }
        }
    }

    /// <summary>
    /// A column panel of one vector: tiles of up to twelve rows, so there are enough independent accumulators to hide the
    /// multiply-add latency (six rows of one vector would leave the FMA units half idle).
    /// </summary>
    private static unsafe void PanelNarrow(T* a, T* b, int ldb, T* c, int ldc, int first, int last, int k, int rowStride, int columnStride,
        bool accumulate, TVector mask)
    {
        for (int i = first; i < last; i += 12)
        {
            T* aTile = a + ((long)i * rowStride);
            T* target = c + ((long)i * ldc);
            switch (Math.Min(12, last - i))
            {
                case 12: TileNarrow<Twelve>(aTile, rowStride, columnStride, b, ldb, target, ldc, k, accumulate, mask); break;
                case 11: TileNarrow<Eleven>(aTile, rowStride, columnStride, b, ldb, target, ldc, k, accumulate, mask); break;
                case 10: TileNarrow<Ten>(aTile, rowStride, columnStride, b, ldb, target, ldc, k, accumulate, mask); break;
                case 9: TileNarrow<Nine>(aTile, rowStride, columnStride, b, ldb, target, ldc, k, accumulate, mask); break;
                case 8: TileNarrow<Eight>(aTile, rowStride, columnStride, b, ldb, target, ldc, k, accumulate, mask); break;
                case 7: TileNarrow<Seven>(aTile, rowStride, columnStride, b, ldb, target, ldc, k, accumulate, mask); break;
                case 6: TileNarrow<Six>(aTile, rowStride, columnStride, b, ldb, target, ldc, k, accumulate, mask); break;
                case 5: TileNarrow<Five>(aTile, rowStride, columnStride, b, ldb, target, ldc, k, accumulate, mask); break;
                case 4: TileNarrow<Four>(aTile, rowStride, columnStride, b, ldb, target, ldc, k, accumulate, mask); break;
                case 3: TileNarrow<Three>(aTile, rowStride, columnStride, b, ldb, target, ldc, k, accumulate, mask); break;
                case 2: TileNarrow<Two>(aTile, rowStride, columnStride, b, ldb, target, ldc, k, accumulate, mask); break;
                default: TileNarrow<One>(aTile, rowStride, columnStride, b, ldb, target, ldc, k, accumulate, mask); break;
            }
        }
    }

    /// <summary>
    /// TRows (up to twelve) rows × one vector of C (under <paramref name="mask"/> on masked widths): each element the same chain
    /// of multiply-adds as in <see cref="Tile{TRows}"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void TileNarrow<TRows>(T* a, int rowStride, int columnStride, T* b, int ldb, T* c, int ldc, int k, bool accumulate, TVector mask)
        where TRows : IRowCount
    {
        int rows = TRows.Count;
        TVector c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default, c8 = default,
            c9 = default, c10 = default, c11 = default;
        nint r1 = 1 * (nint)rowStride, r2 = 2 * (nint)rowStride, r3 = 3 * (nint)rowStride, r4 = 4 * (nint)rowStride, r5 = 5 * (nint)rowStride,
            r6 = 6 * (nint)rowStride, r7 = 7 * (nint)rowStride, r8 = 8 * (nint)rowStride, r9 = 9 * (nint)rowStride, r10 = 10 * (nint)rowStride,
                r11 = 11 * (nint)rowStride;
        T* ap = a;
        T* bp = b;
        for (int p = 0; p < k; p++, ap += columnStride, bp += ldb)
        {
            var bv = LoadPart(bp, mask);
            c0 = TLanes.MultiplyAdd(TLanes.LoadBroadcast(ap), bv, c0);
            if (rows > 1)
            {
                c1 = TLanes.MultiplyAdd(TLanes.LoadBroadcast(ap + r1), bv, c1);
            }

            if (rows > 2)
            {
                c2 = TLanes.MultiplyAdd(TLanes.LoadBroadcast(ap + r2), bv, c2);
            }

            if (rows > 3)
            {
                c3 = TLanes.MultiplyAdd(TLanes.LoadBroadcast(ap + r3), bv, c3);
            }

            if (rows > 4)
            {
                c4 = TLanes.MultiplyAdd(TLanes.LoadBroadcast(ap + r4), bv, c4);
            }

            if (rows > 5)
            {
                c5 = TLanes.MultiplyAdd(TLanes.LoadBroadcast(ap + r5), bv, c5);
            }

            if (rows > 6)
            {
                c6 = TLanes.MultiplyAdd(TLanes.LoadBroadcast(ap + r6), bv, c6);
            }

            if (rows > 7)
            {
                c7 = TLanes.MultiplyAdd(TLanes.LoadBroadcast(ap + r7), bv, c7);
            }

            if (rows > 8)
            {
                c8 = TLanes.MultiplyAdd(TLanes.LoadBroadcast(ap + r8), bv, c8);
            }

            if (rows > 9)
            {
                c9 = TLanes.MultiplyAdd(TLanes.LoadBroadcast(ap + r9), bv, c9);
            }

            if (rows > 10)
            {
                c10 = TLanes.MultiplyAdd(TLanes.LoadBroadcast(ap + r10), bv, c10);
            }

            if (rows > 11)
            {
                c11 = TLanes.MultiplyAdd(TLanes.LoadBroadcast(ap + r11), bv, c11);
            }
        }

        StoreRow(c, accumulate, mask, c0);
        if (rows > 1)
        {
            StoreRow(c + (1 * (nint)ldc), accumulate, mask, c1);
        }

        if (rows > 2)
        {
            StoreRow(c + (2 * (nint)ldc), accumulate, mask, c2);
        }

        if (rows > 3)
        {
            StoreRow(c + (3 * (nint)ldc), accumulate, mask, c3);
        }

        if (rows > 4)
        {
            StoreRow(c + (4 * (nint)ldc), accumulate, mask, c4);
        }

        if (rows > 5)
        {
            StoreRow(c + (5 * (nint)ldc), accumulate, mask, c5);
        }

        if (rows > 6)
        {
            StoreRow(c + (6 * (nint)ldc), accumulate, mask, c6);
        }

        if (rows > 7)
        {
            StoreRow(c + (7 * (nint)ldc), accumulate, mask, c7);
        }

        if (rows > 8)
        {
            StoreRow(c + (8 * (nint)ldc), accumulate, mask, c8);
        }

        if (rows > 9)
        {
            StoreRow(c + (9 * (nint)ldc), accumulate, mask, c9);
        }

        if (rows > 10)
        {
            StoreRow(c + (10 * (nint)ldc), accumulate, mask, c10);
        }

        if (rows > 11)
        {
            StoreRow(c + (11 * (nint)ldc), accumulate, mask, c11);
        }
    }

    /// <summary>
    /// The micro-kernel: a TRows × (2 vectors) tile of C = Σ_p A[r, p]·B[p, :], accumulated in registers over all of k and
    /// stored (or added, with <paramref name="accumulate"/>) at <paramref name="c"/>. TRows is a compile-time constant, so
    /// the JIT drops the unused rows' code; the kernel makes no calls, so the twelve accumulators stay in registers. On masked
    /// widths the second vector of B and C is read and written under <paramref name="mask"/>: all lanes for a full panel, the
    /// first few for the last panel of a row (masked-off lanes read as zero and are never written).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Tile<TRows>(T* a, int rowStride, int columnStride, T* b, int ldb, T* c, int ldc, int k, bool accumulate, TVector mask)
        where TRows : IRowCount
    {
        int rows = TRows.Count;
        int width = TLanes.Count;
        TVector c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        TVector c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        nint r1 = rowStride, r2 = 2 * (nint)rowStride, r3 = 3 * (nint)rowStride, r4 = 4 * (nint)rowStride, r5 = 5 * (nint)rowStride;
        T* ap = a;
        T* bp = b;
        for (int p = 0; p < k; p++, ap += columnStride, bp += ldb)
        {
            var b0 = TLanes.Load(bp);
            var b1 = LoadPart(bp + width, mask);
            var x = TLanes.LoadBroadcast(ap);
            c00 = TLanes.MultiplyAdd(x, b0, c00);
            c01 = TLanes.MultiplyAdd(x, b1, c01);
            if (rows > 1)
            {
                x = TLanes.LoadBroadcast(ap + r1);
                c10 = TLanes.MultiplyAdd(x, b0, c10);
                c11 = TLanes.MultiplyAdd(x, b1, c11);
            }

            if (rows > 2)
            {
                x = TLanes.LoadBroadcast(ap + r2);
                c20 = TLanes.MultiplyAdd(x, b0, c20);
                c21 = TLanes.MultiplyAdd(x, b1, c21);
            }

            if (rows > 3)
            {
                x = TLanes.LoadBroadcast(ap + r3);
                c30 = TLanes.MultiplyAdd(x, b0, c30);
                c31 = TLanes.MultiplyAdd(x, b1, c31);
            }

            if (rows > 4)
            {
                x = TLanes.LoadBroadcast(ap + r4);
                c40 = TLanes.MultiplyAdd(x, b0, c40);
                c41 = TLanes.MultiplyAdd(x, b1, c41);
            }

            if (rows > 5)
            {
                x = TLanes.LoadBroadcast(ap + r5);
                c50 = TLanes.MultiplyAdd(x, b0, c50);
                c51 = TLanes.MultiplyAdd(x, b1, c51);
            }
        }

        StoreRow(c, accumulate, mask, c00, c01);
        if (rows > 1)
        {
            StoreRow(c + (1 * (nint)ldc), accumulate, mask, c10, c11);
        }

        if (rows > 2)
        {
            StoreRow(c + (2 * (nint)ldc), accumulate, mask, c20, c21);
        }

        if (rows > 3)
        {
            StoreRow(c + (3 * (nint)ldc), accumulate, mask, c30, c31);
        }

        if (rows > 4)
        {
            StoreRow(c + (4 * (nint)ldc), accumulate, mask, c40, c41);
        }

        if (rows > 5)
        {
            StoreRow(c + (5 * (nint)ldc), accumulate, mask, c50, c51);
        }
    }

    /// <summary>Stores (or adds, with <paramref name="accumulate"/>) one two-vector row of a tile, the second vector as
    /// <see cref="StoreRow(T*, bool, TVector, TVector)"/> does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreRow(T* row, bool accumulate, TVector mask, TVector v0, TVector v1)
    {
        if (accumulate)
        {
            v0 = TLanes.Add(v0, TLanes.Load(row));
        }

        TLanes.Store(row, v0);
        StoreRow(row + TLanes.Count, accumulate, mask, v1);
    }

    /// <summary>Stores (or adds, with <paramref name="accumulate"/>) one vector of a tile row, under <paramref name="mask"/> on masked widths.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreRow(T* row, bool accumulate, TVector mask, TVector v)
    {
        if (accumulate)
        {
            v = TLanes.Add(v, LoadPart(row, mask));
        }

        if (TLanes.HasMaskedMemoryAccess)
        {
            TLanes.StoreMasked(row, mask, v);
        }
        else
        {
            TLanes.Store(row, v);
        }
    }

    /// <summary>A vector under <paramref name="mask"/> on masked widths; a whole vector on the others, which are only given whole vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe TVector LoadPart(T* source, TVector mask)
        => TLanes.HasMaskedMemoryAccess ? TLanes.LoadMasked(source, mask) : TLanes.Load(source);
}
