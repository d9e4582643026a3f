using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using MetaLearn.Tensors.Internal;

namespace MetaLearn.Tensors.Kernels;

/// <summary>
/// General matrix multiply C (+)= op(A)·op(B) over dense row-major spans: the one entry point every matrix product in the
/// library goes through.
/// </summary>
/// <remarks>
/// <para>
/// A register-blocked FMA micro-kernel computes a tile of up to 6 rows × 2 SIMD vectors of C (6×32 floats with AVX-512)
/// over the whole k range, broadcasting A's elements and streaming B's rows; A is read in place (either layout), B in
/// place when untransposed and from a transposed copy otherwise (on the stack when small, made once for a B shared by a
/// batch, and skipped for a vector, whose transpose has the same layout). Column panels are the outer loop so one panel of B
/// stays in cache while every row block of A passes over it. The last, partial panel is read and written under AVX-512
/// masks, so narrow products (n = 1, n = 40) compute no padding columns.
/// </para>
/// <para>
/// Large products split rows over threads. Each element of C is always computed by the same sequence of operations (the
/// k reduction is never split), so results are bit-identical whatever the thread count. BLAS name: GEMM.
/// </para>
/// </remarks>
internal static class Gemm
{
    /// <summary>Products with at least this many multiply-adds use several threads.</summary>
    private const long ParallelThreshold = 1L << 21;

    /// <summary>A transposed right operand up to this size is laid out on the stack rather than in a rented array.</summary>
    private const int StackScratchBytes = 16 * 1024;

    public static void Multiply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int n, int k, bool transA, bool transB, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        => MultiplyBatched(a, b, c, 1, m, n, k, transA, transB, accumulate, m * k, k * n);

    /// <summary>
    /// C_i (+)= op(A_i)·op(B_i) for i &lt; <paramref name="batch"/>, where A_i starts at i·<paramref name="aBatchStride"/> and
    /// B_i at i·<paramref name="bBatchStride"/> (0: one matrix shared by the whole batch) and the C_i are consecutive.
    /// </summary>
    public static unsafe void MultiplyBatched<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int batch, int m, int n, int k, bool transA, bool transB, bool accumulate, int aBatchStride, int bBatchStride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // The kernels index through raw pointers: check the extents once here.
        if (batch < 0 || m < 0 || n < 0 || k < 0 || aBatchStride < 0 || bBatchStride < 0
            || (batch > 0 && (a.Length < (((long)batch - 1) * aBatchStride) + ((long)m * k)
                || b.Length < (((long)batch - 1) * bBatchStride) + ((long)k * n)
                || c.Length < (long)batch * m * n)))
        {
            throw new ArgumentException($"gemm: spans of {a.Length}, {b.Length} and {c.Length} elements cannot hold {batch} × [{m}x{k}]·[{k}x{n}] → [{m}x{n}] (batch strides {aBatchStride}, {bBatchStride}).");
        }

        if (batch == 0 || m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            if (!accumulate)
            {
                c[..(batch * m * n)].Clear();
            }

            return;
        }

        if (!Vector512.IsHardwareAccelerated || !(typeof(T) == typeof(float) || typeof(T) == typeof(double)))
        {
            for (int i = 0; i < batch; i++)
            {
                Reference(a.Slice(i * aBatchStride, m * k), b.Slice(i * bBatchStride, k * n), c.Slice(i * m * n, m * n), m, n, k, transA, transB, accumulate);
            }

            return;
        }

        // A [n, 1] or [1, k] matrix is laid out the same as its transpose: nothing to rearrange.
        transB &= n > 1 && k > 1;
        T[]? rented = null;
        try
        {
            // op(B) = Bᵀ is laid out as [k, n] so the kernel streams its rows: on the stack when small, once when shared.
            int scratchLength = transB ? k * n : 0;
            Span<T> scratch = scratchLength * Unsafe.SizeOf<T>() <= StackScratchBytes
                ? stackalloc T[scratchLength]
                : (rented = ArrayPool<T>.Shared.Rent(scratchLength)).AsSpan(0, scratchLength);
            fixed (T* pa = a)
            fixed (T* pb = b)
            fixed (T* pc = c)
            fixed (T* ps = scratch)
            {
                for (int i = 0; i < batch; i++)
                {
                    T* bi = pb + ((long)i * bBatchStride);
                    if (transB)
                    {
                        if (i == 0 || bBatchStride != 0)
                        {
                            Transpose(bi, ps, n, k);
                        }

                        bi = ps;
                    }

                    Packed(pa + ((long)i * aBatchStride), bi, pc + ((long)i * m * n), m, n, k, transA, accumulate);
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

    private static unsafe void Packed<T>(T* a, T* b, T* c, int m, int n, int k, bool transA, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rowStride = transA ? 1 : k;
        int columnStride = transA ? m : 1;
        long work = (long)m * n * k;
        int threads = work >= ParallelThreshold && Parallelism.IntraOpEnabled ? Math.Min(Parallelism.MaxDegreeOfParallelism, (m + 5) / 6) : 1;
        if (threads <= 1)
        {
            Rows(a, b, c, 0, m, n, k, rowStride, columnStride, accumulate);
        }
        else
        {
            RowsInParallel<T>((nint)a, (nint)b, (nint)c, threads, m, n, k, rowStride, columnStride, accumulate);
        }
    }

    /// <summary>
    /// Splits rows in blocks that are multiples of the 6-row tile, so tiles (and their arithmetic) do not depend on the
    /// split. A separate method so the closure is allocated only when it is used.
    /// </summary>
    private static unsafe void RowsInParallel<T>(nint a, nint b, nint c, int threads, int m, int n, int k, int rowStride, int columnStride, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int tiles = (m + 5) / 6;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, part =>
        {
            int first = tiles * part / threads * 6;
            int last = Math.Min(m, tiles * (part + 1) / threads * 6);
            Rows((T*)a, (T*)b, (T*)c, first, last, n, k, rowStride, columnStride, accumulate);
        });
    }

    /// <summary>C rows [first, last): for each column panel, every row tile; the last, partial panel with masked loads and stores.</summary>
    private static unsafe void Rows<T>(T* a, T* b, T* c, int first, int last, int n, int k, int rowStride, int columnStride, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int panel = 2 * Vector512<T>.Count;
        int j = 0;
        for (; j + panel <= n; j += panel)
        {
            Panel(a, b + j, n, c + j, n, first, last, k, rowStride, columnStride, accumulate, panel);
        }

        if (j < n)
        {
            // A column's value is the same whichever tile computes it (the same products summed in the same order).
            if (n - j > Vector512<T>.Count)
            {
                Panel(a, b + j, n, c + j, n, first, last, k, rowStride, columnStride, accumulate, n - j);
            }
            else
            {
                PanelNarrow(a, b + j, n, c + j, n, first, last, k, rowStride, columnStride, accumulate, n - j);
            }
        }
    }

    /// <summary>
    /// One column panel of <paramref name="columns"/> columns, more than one vector and at most two (B and C pointers at its
    /// first column), for rows [first, last); the second vector is read and written under a mask when the panel is partial.
    /// </summary>
    private static unsafe void Panel<T>(T* a, T* b, int ldb, T* c, int ldc, int first, int last, int k, int rowStride, int columnStride, bool accumulate, int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var mask = ColumnMask<T>(columns - Vector512<T>.Count);
        for (int i = first; i < last; i += 6)
        {
            T* aTile = a + ((long)i * rowStride);
            T* target = c + ((long)i * ldc);
            switch (Math.Min(6, last - i))
            {
                case 6: Tile<T, Six>(aTile, rowStride, columnStride, b, ldb, target, ldc, k, accumulate, mask); break;
                case 5: Tile<T, Five>(aTile, rowStride, columnStride, b, ldb, target, ldc, k, accumulate, mask); break;
                case 4: Tile<T, Four>(aTile, rowStride, columnStride, b, ldb, target, ldc, k, accumulate, mask); break;
                case 3: Tile<T, Three>(aTile, rowStride, columnStride, b, ldb, target, ldc, k, accumulate, mask); break;
                case 2: Tile<T, Two>(aTile, rowStride, columnStride, b, ldb, target, ldc, k, accumulate, mask); break;
                default: Tile<T, One>(aTile, rowStride, columnStride, b, ldb, target, ldc, k, accumulate, mask); break;
            }
        }
    }

    /// <summary>
    /// The last column panel when it fits in one vector: tiles of up to twelve rows, so there are enough independent
    /// accumulators to hide the multiply-add latency (six rows of one vector would leave the FMA units half idle).
    /// </summary>
    private static unsafe void PanelNarrow<T>(T* a, T* b, int ldb, T* c, int ldc, int first, int last, int k, int rowStride, int columnStride, bool accumulate, int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var mask = ColumnMask<T>(columns);
        for (int i = first; i < last; i += 12)
        {
            T* aTile = a + ((long)i * rowStride);
            T* target = c + ((long)i * ldc);
            switch (Math.Min(12, last - i))
            {
                case 12: TileNarrow<T, Twelve>(aTile, rowStride, columnStride, b, ldb, target, ldc, k, accumulate, mask); break;
                case 11: TileNarrow<T, Eleven>(aTile, rowStride, columnStride, b, ldb, target, ldc, k, accumulate, mask); break;
                case 10: TileNarrow<T, Ten>(aTile, rowStride, columnStride, b, ldb, target, ldc, k, accumulate, mask); break;
                case 9: TileNarrow<T, Nine>(aTile, rowStride, columnStride, b, ldb, target, ldc, k, accumulate, mask); break;
                case 8: TileNarrow<T, Eight>(aTile, rowStride, columnStride, b, ldb, target, ldc, k, accumulate, mask); break;
                case 7: TileNarrow<T, Seven>(aTile, rowStride, columnStride, b, ldb, target, ldc, k, accumulate, mask); break;
                case 6: TileNarrow<T, Six>(aTile, rowStride, columnStride, b, ldb, target, ldc, k, accumulate, mask); break;
                case 5: TileNarrow<T, Five>(aTile, rowStride, columnStride, b, ldb, target, ldc, k, accumulate, mask); break;
                case 4: TileNarrow<T, Four>(aTile, rowStride, columnStride, b, ldb, target, ldc, k, accumulate, mask); break;
                case 3: TileNarrow<T, Three>(aTile, rowStride, columnStride, b, ldb, target, ldc, k, accumulate, mask); break;
                case 2: TileNarrow<T, Two>(aTile, rowStride, columnStride, b, ldb, target, ldc, k, accumulate, mask); break;
                default: TileNarrow<T, One>(aTile, rowStride, columnStride, b, ldb, target, ldc, k, accumulate, mask); break;
            }
        }
    }

    /// <summary>
    /// TRows (up to twelve) rows × one vector of C under <paramref name="mask"/>: each element the same chain of multiply-adds
    /// as in <see cref="Tile{T, TRows}"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void TileNarrow<T, TRows>(T* a, int rowStride, int columnStride, T* b, int ldb, T* c, int ldc, int k, bool accumulate, Vector512<T> mask)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TRows : IRowCount
    {
        int rows = TRows.Count;
        Vector512<T> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default, c8 = default, c9 = default, c10 = default, c11 = default;
        nint r1 = 1 * (nint)rowStride, r2 = 2 * (nint)rowStride, r3 = 3 * (nint)rowStride, r4 = 4 * (nint)rowStride, r5 = 5 * (nint)rowStride, r6 = 6 * (nint)rowStride, r7 = 7 * (nint)rowStride, r8 = 8 * (nint)rowStride, r9 = 9 * (nint)rowStride, r10 = 10 * (nint)rowStride, r11 = 11 * (nint)rowStride;
        T* ap = a;
        T* bp = b;
        for (int p = 0; p < k; p++, ap += columnStride, bp += ldb)
        {
            var bv = LoadMasked(bp, mask);
            c0 = Fma(Vector512.Create(ap[0]), bv, c0);
            if (rows > 1)
            {
                c1 = Fma(Vector512.Create(ap[r1]), bv, c1);
            }

            if (rows > 2)
            {
                c2 = Fma(Vector512.Create(ap[r2]), bv, c2);
            }

            if (rows > 3)
            {
                c3 = Fma(Vector512.Create(ap[r3]), bv, c3);
            }

            if (rows > 4)
            {
                c4 = Fma(Vector512.Create(ap[r4]), bv, c4);
            }

            if (rows > 5)
            {
                c5 = Fma(Vector512.Create(ap[r5]), bv, c5);
            }

            if (rows > 6)
            {
                c6 = Fma(Vector512.Create(ap[r6]), bv, c6);
            }

            if (rows > 7)
            {
                c7 = Fma(Vector512.Create(ap[r7]), bv, c7);
            }

            if (rows > 8)
            {
                c8 = Fma(Vector512.Create(ap[r8]), bv, c8);
            }

            if (rows > 9)
            {
                c9 = Fma(Vector512.Create(ap[r9]), bv, c9);
            }

            if (rows > 10)
            {
                c10 = Fma(Vector512.Create(ap[r10]), bv, c10);
            }

            if (rows > 11)
            {
                c11 = Fma(Vector512.Create(ap[r11]), bv, c11);
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

    /// <summary>All-ones in the first <paramref name="columns"/> lanes (none when it is not positive).</summary>
    private static Vector512<T> ColumnMask<T>(int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            return Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(columns)).As<int, T>();
        }

        return Vector512.LessThan(Vector512<long>.Indices, Vector512.Create((long)columns)).As<long, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector512<T> LoadMasked<T>(T* source, Vector512<T> mask)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            return Avx512F.MaskLoad((float*)source, mask.AsSingle(), Vector512<float>.Zero).As<float, T>();
        }

        return Avx512F.MaskLoad((double*)source, mask.AsDouble(), Vector512<double>.Zero).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreMasked<T>(T* destination, Vector512<T> mask, Vector512<T> value)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            Avx512F.MaskStore((float*)destination, mask.AsSingle(), value.AsSingle());
        }
        else
        {
            Avx512F.MaskStore((double*)destination, mask.AsDouble(), value.AsDouble());
        }
    }

    /// <summary>
    /// The micro-kernel: a TRows × (2 vectors) tile of C = Σ_p A[r, p]·B[p, :], accumulated in registers over all of k and
    /// stored (or added, with <paramref name="accumulate"/>) at <paramref name="c"/>. TRows is a compile-time constant, so
    /// the JIT drops the unused rows' code; the kernel makes no calls, so the twelve accumulators stay in registers. The
    /// second vector of B and C is read and written under <paramref name="mask"/>: all lanes for a full panel, the first
    /// few for the last panel of a row (masked-off lanes read as zero and are never written), so a column's value never
    /// depends on which panel computed it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Tile<T, TRows>(T* a, int rowStride, int columnStride, T* b, int ldb, T* c, int ldc, int k, bool accumulate, Vector512<T> mask)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TRows : IRowCount
    {
        int rows = TRows.Count;
        int width = Vector512<T>.Count;
        Vector512<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<T> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        nint r1 = rowStride, r2 = 2 * (nint)rowStride, r3 = 3 * (nint)rowStride, r4 = 4 * (nint)rowStride, r5 = 5 * (nint)rowStride;
        T* ap = a;
        T* bp = b;
        for (int p = 0; p < k; p++, ap += columnStride, bp += ldb)
        {
            var b0 = Vector512.Load(bp);
            var b1 = LoadMasked(bp + width, mask);
            var x = Vector512.Create(ap[0]);
            c00 = Fma(x, b0, c00);
            c01 = Fma(x, b1, c01);
            if (rows > 1)
            {
                x = Vector512.Create(ap[r1]);
                c10 = Fma(x, b0, c10);
                c11 = Fma(x, b1, c11);
            }

            if (rows > 2)
            {
                x = Vector512.Create(ap[r2]);
                c20 = Fma(x, b0, c20);
                c21 = Fma(x, b1, c21);
            }

            if (rows > 3)
            {
                x = Vector512.Create(ap[r3]);
                c30 = Fma(x, b0, c30);
                c31 = Fma(x, b1, c31);
            }

            if (rows > 4)
            {
                x = Vector512.Create(ap[r4]);
                c40 = Fma(x, b0, c40);
                c41 = Fma(x, b1, c41);
            }

            if (rows > 5)
            {
                x = Vector512.Create(ap[r5]);
                c50 = Fma(x, b0, c50);
                c51 = Fma(x, b1, c51);
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

    /// <summary>Stores (or adds, with <paramref name="accumulate"/>) one two-vector row of a tile, the second vector under <paramref name="mask"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreRow<T>(T* row, bool accumulate, Vector512<T> mask, Vector512<T> v0, Vector512<T> v1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (accumulate)
        {
            v0 += Vector512.Load(row);
        }

        v0.Store(row);
        StoreRow(row + Vector512<T>.Count, accumulate, mask, v1);
    }

    /// <summary>Stores (or adds, with <paramref name="accumulate"/>) one vector of a tile row under <paramref name="mask"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreRow<T>(T* row, bool accumulate, Vector512<T> mask, Vector512<T> v)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (accumulate)
        {
            v += LoadMasked(row, mask);
        }

        StoreMasked(row, mask, v);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Fma<T>(Vector512<T> x, Vector512<T> y, Vector512<T> z)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            return Vector512.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>();
        }

        return Vector512.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>();
    }

    /// <summary>destination[p, j] = source[j, p] for a source of <paramref name="rows"/> × <paramref name="columns"/>.</summary>
    /// <remarks>Single precision goes through 8×8 in-register AVX transposes (about four times faster than element by element).</remarks>
    internal static unsafe void Transpose<T>(ReadOnlySpan<T> source, Span<T> destination, int rows, int columns)
        where T : unmanaged
    {
        fixed (T* ps = source)
        fixed (T* pd = destination)
        {
            Transpose(ps, pd, rows, columns);
        }
    }

    /// <inheritdoc cref="Transpose{T}(ReadOnlySpan{T}, Span{T}, int, int)"/>
    private static unsafe void Transpose<T>(T* ps, T* pd, int rows, int columns)
        where T : unmanaged
    {
        int r0 = 0, c0 = 0;
        if (typeof(T) == typeof(float) && Avx.IsSupported)
        {
            for (r0 = 0; r0 + 8 <= rows; r0 += 8)
            {
                for (c0 = 0; c0 + 8 <= columns; c0 += 8)
                {
                    Transpose8x8((float*)ps + ((long)r0 * columns) + c0, columns, (float*)pd + ((long)c0 * rows) + r0, rows);
                }
            }

            // The right strip [0, r0) × [c0, columns) and the bottom strip [r0, rows) × all columns.
            c0 = columns - (columns % 8);
            TransposeScalar(ps, pd, rows, columns, 0, r0, c0, columns);
            TransposeScalar(ps, pd, rows, columns, r0, rows, 0, columns);
            return;
        }

        TransposeScalar(ps, pd, rows, columns, 0, rows, 0, columns);
    }

    private static unsafe void TransposeScalar<T>(T* source, T* destination, int rows, int columns, int rowStart, int rowEnd, int columnStart, int columnEnd)
        where T : unmanaged
    {
        for (int r = rowStart; r < rowEnd; r++)
        {
            T* from = source + ((long)r * columns);
            for (int col = columnStart; col < columnEnd; col++)
            {
                destination[((long)col * rows) + r] = from[col];
            }
        }
    }

    /// <summary>The classic AVX 8×8 single-precision transpose: unpack pairs, shuffle quads, exchange 128-bit halves.</summary>
    private static unsafe void Transpose8x8(float* source, int sourceStride, float* destination, int destinationStride)
    {
        var r0 = Vector256.Load(source);
        var r1 = Vector256.Load(source + sourceStride);
        var r2 = Vector256.Load(source + (2 * sourceStride));
        var r3 = Vector256.Load(source + (3 * sourceStride));
        var r4 = Vector256.Load(source + (4 * sourceStride));
        var r5 = Vector256.Load(source + (5 * sourceStride));
        var r6 = Vector256.Load(source + (6 * sourceStride));
        var r7 = Vector256.Load(source + (7 * sourceStride));
        var t0 = System.Runtime.Intrinsics.X86.Avx.UnpackLow(r0, r1);
        var t1 = System.Runtime.Intrinsics.X86.Avx.UnpackHigh(r0, r1);
        var t2 = System.Runtime.Intrinsics.X86.Avx.UnpackLow(r2, r3);
        var t3 = System.Runtime.Intrinsics.X86.Avx.UnpackHigh(r2, r3);
        var t4 = System.Runtime.Intrinsics.X86.Avx.UnpackLow(r4, r5);
        var t5 = System.Runtime.Intrinsics.X86.Avx.UnpackHigh(r4, r5);
        var t6 = System.Runtime.Intrinsics.X86.Avx.UnpackLow(r6, r7);
        var t7 = System.Runtime.Intrinsics.X86.Avx.UnpackHigh(r6, r7);
        var s0 = System.Runtime.Intrinsics.X86.Avx.Shuffle(t0, t2, 0x44);
        var s1 = System.Runtime.Intrinsics.X86.Avx.Shuffle(t0, t2, 0xEE);
        var s2 = System.Runtime.Intrinsics.X86.Avx.Shuffle(t1, t3, 0x44);
        var s3 = System.Runtime.Intrinsics.X86.Avx.Shuffle(t1, t3, 0xEE);
        var s4 = System.Runtime.Intrinsics.X86.Avx.Shuffle(t4, t6, 0x44);
        var s5 = System.Runtime.Intrinsics.X86.Avx.Shuffle(t4, t6, 0xEE);
        var s6 = System.Runtime.Intrinsics.X86.Avx.Shuffle(t5, t7, 0x44);
        var s7 = System.Runtime.Intrinsics.X86.Avx.Shuffle(t5, t7, 0xEE);
        System.Runtime.Intrinsics.X86.Avx.Permute2x128(s0, s4, 0x20).Store(destination);
        System.Runtime.Intrinsics.X86.Avx.Permute2x128(s1, s5, 0x20).Store(destination + destinationStride);
        System.Runtime.Intrinsics.X86.Avx.Permute2x128(s2, s6, 0x20).Store(destination + (2 * destinationStride));
        System.Runtime.Intrinsics.X86.Avx.Permute2x128(s3, s7, 0x20).Store(destination + (3 * destinationStride));
        System.Runtime.Intrinsics.X86.Avx.Permute2x128(s0, s4, 0x31).Store(destination + (4 * destinationStride));
        System.Runtime.Intrinsics.X86.Avx.Permute2x128(s1, s5, 0x31).Store(destination + (5 * destinationStride));
        System.Runtime.Intrinsics.X86.Avx.Permute2x128(s2, s6, 0x31).Store(destination + (6 * destinationStride));
        System.Runtime.Intrinsics.X86.Avx.Permute2x128(s3, s7, 0x31).Store(destination + (7 * destinationStride));
    }

    /// <summary>
    /// The portable path (no AVX-512): each row of C accumulates a·(row of op(B)) with SIMD multiply-adds of whatever width
    /// the machine has; a transposed B is first laid out as rows.
    /// </summary>
    private static void Reference<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int n, int k, bool transA, bool transB, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[]? rows = null;
        try
        {
            ReadOnlySpan<T> rowsOfB = b;
            if (transB)
            {
                rows = ArrayPool<T>.Shared.Rent(k * n);
                Transpose(b, rows, n, k);
                rowsOfB = rows.AsSpan(0, k * n);
            }

            for (int i = 0; i < m; i++)
            {
                var row = c.Slice(i * n, n);
                if (!accumulate)
                {
                    row.Clear();
                }

                for (int p = 0; p < k; p++)
                {
                    T x = transA ? a[(p * m) + i] : a[(i * k) + p];
                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(rowsOfB.Slice(p * n, n), x, row, row);
                }
            }
        }
        finally
        {
            if (rows is not null)
            {
                ArrayPool<T>.Shared.Return(rows);
            }
        }
    }
}
