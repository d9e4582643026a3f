using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using MetaLearn.Tensors.Internal;
using MetaLearn.Tensors.Kernels.Providers;

namespace MetaLearn.Tensors.Kernels;

/// <summary>
/// General matrix multiply C (+)= op(A)·op(B) over dense row-major spans: the one entry point every matrix product in the
/// library goes through.
/// </summary>
/// <remarks>
/// <para>
/// This driver checks the extents, lays out a transposed B as rows (on the stack when small, once for a B shared by a batch,
/// and not at all for a vector, whose transpose has the same layout), and splits large products' rows over threads. The
/// arithmetic is the <see cref="GemmProvider.Current"/> kernel's: register tiles of 512-, 256- or 128-bit vectors, or the
/// scalar reference, chosen once from the hardware (<see cref="IGemmKernel"/> says what every kernel computes).
/// </para>
/// <para>
/// Each element of C is always computed by the same sequence of operations (the k reduction is never split), so results are
/// bit-identical whatever the thread count. BLAS name: GEMM.
/// </para>
/// </remarks>
internal static class Gemm
{
    /// <summary>Products with at least this many multiply-adds use several threads.</summary>
    private const long ParallelThreshold = 1L << 21;

    /// <summary>Rows are split over threads in multiples of this, the height of the kernels' register tiles.</summary>
    private const int RowBlock = 6;

    /// <summary>A transposed right operand up to this size is laid out on the stack rather than in a rented array.</summary>
    private const int StackScratchBytes = 16 * 1024;

    public static void Multiply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int n, int k, bool transA, bool transB, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        => MultiplyBatched(a, b, c, 1, m, n, k, transA, transB, accumulate, m * k, k * n);

    /// <summary>
    /// C_i (+)= op(A_i)·op(B_i) for i &lt; <paramref name="batch"/>, where A_i starts at i·<paramref name="aBatchStride"/> and
    /// B_i at i·<paramref name="bBatchStride"/> (0: one matrix shared by the whole batch) and the C_i are consecutive.
    /// </summary>
    public static unsafe void MultiplyBatched<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int batch, int m, int n, int k, bool transA,
        bool transB, bool accumulate, int aBatchStride, int bBatchStride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // The kernels index through raw pointers: check the extents once here.
        if (batch < 0 || m < 0 || n < 0 || k < 0 || aBatchStride < 0 || bBatchStride < 0
            || (batch > 0 && (a.Length < (((long)batch - 1) * aBatchStride) + ((long)m * k)
                || b.Length < (((long)batch - 1) * bBatchStride) + ((long)k * n)
                || c.Length < (long)batch * m * n)))
        {
            throw new ArgumentException($"gemm: spans of {a.Length}, {b.Length} and {c.Length} elements cannot hold {batch} × "
                + $"[{m}x{k}]·[{k}x{n}] → [{m}x{n}] (batch strides {aBatchStride}, {bBatchStride}).");
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

        // One provider for the whole call, read once: a scope set by a test applies to every product it starts.
        var kernel = GemmProvider.Current;

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
                            Transpose(bi, ps, n, k, n);
                        }

                        bi = ps;
                    }

                    Product(kernel, pa + ((long)i * aBatchStride), bi, pc + ((long)i * m * n), m, n, k, transA, accumulate);
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
    /// C [m, n] (+)= A·B on the calling thread, where A[i, p] is at a[i·<paramref name="rowStride"/> + p·<paramref name="columnStride"/>]
    /// and B's <paramref name="k"/> rows of <paramref name="n"/> elements are <paramref name="ldb"/> apart: a product of windows
    /// into larger buffers (the shifted views of a padded image in <see cref="ShiftedConvolution"/>). The caller guarantees the
    /// extents; nothing is checked here.
    /// </summary>
    internal static unsafe void MultiplyWindows<T>(T* a, int rowStride, int columnStride, T* b, int ldb, T* c, int m, int n, int k, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Rows(GemmProvider.Current, a, b, c, 0, m, n, ldb, k, rowStride, columnStride, accumulate);

    /// <summary>One product of the batch, its rows split over threads when it is large enough.</summary>
    private static unsafe void Product<T>(IGemmKernel kernel, T* a, T* b, T* c, int m, int n, int k, bool transA, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rowStride = transA ? 1 : k;
        int columnStride = transA ? m : 1;
        long work = (long)m * n * k;
        int threads = work >= ParallelThreshold && Parallelism.IntraOpEnabled ? Math.Min(Parallelism.MaxDegreeOfParallelism, (m + RowBlock - 1) / RowBlock) : 1;
        if (threads <= 1)
        {
            Rows(kernel, a, b, c, 0, m, n, n, k, rowStride, columnStride, accumulate);
        }
        else
        {
            RowsInParallel<T>(kernel, (nint)a, (nint)b, (nint)c, threads, m, n, k, rowStride, columnStride, accumulate);
        }
    }

    /// <summary>
    /// Splits rows in blocks that are multiples of the 6-row tile, so tiles do not straddle two threads (a row's values do not
    /// depend on the split either way). A separate method so the closure is allocated only when it is used.
    /// </summary>
    private static unsafe void RowsInParallel<T>(IGemmKernel kernel, nint a, nint b, nint c, int threads, int m, int n, int k, int rowStride,
        int columnStride, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int tiles = (m + RowBlock - 1) / RowBlock;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, part =>
        {
            int first = tiles * part / threads * RowBlock;
            int last = Math.Min(m, tiles * (part + 1) / threads * RowBlock);
            Rows(kernel, (T*)a, (T*)b, (T*)c, first, last, n, n, k, rowStride, columnStride, accumulate);
        });
    }

    /// <summary>C rows [first, last) on <paramref name="kernel"/>; element types without a vector kernel take the scalar reference.</summary>
    private static unsafe void Rows<T>(IGemmKernel kernel, T* a, T* b, T* c, int first, int last, int n, int ldb, int k, int rowStride, int columnStride,
        bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            kernel.MultiplyRows((float*)a, (float*)b, (float*)c, first, last, n, ldb, k, rowStride, columnStride, accumulate);
        }
        else if (typeof(T) == typeof(double))
        {
            kernel.MultiplyRows((double*)a, (double*)b, (double*)c, first, last, n, ldb, k, rowStride, columnStride, accumulate);
        }
        else
        {
            ScalarGemmKernel.MultiplyRows(a, b, c, first, last, n, ldb, k, rowStride, columnStride, accumulate);
        }
    }

    /// <summary>destination[p, j] = source[j, p] for a source of <paramref name="rows"/> × <paramref name="columns"/>.</summary>
    /// <remarks>Single precision goes through 8×8 in-register AVX transposes (about four times faster than element by element).</remarks>
    internal static void Transpose<T>(ReadOnlySpan<T> source, Span<T> destination, int rows, int columns)
        where T : unmanaged
        => Transpose(source, destination, rows, columns, rows);

    /// <summary>
    /// destination[p · <paramref name="destinationStride"/> + j] = source[j, p]: the transpose written as rows
    /// <paramref name="destinationStride"/> (at least <paramref name="rows"/>) apart; what lies between them is left as it is.
    /// </summary>
    internal static unsafe void Transpose<T>(ReadOnlySpan<T> source, Span<T> destination, int rows, int columns, int destinationStride)
        where T : unmanaged
    {
        fixed (T* ps = source)
        fixed (T* pd = destination)
        {
            Transpose(ps, pd, rows, columns, destinationStride);
        }
    }

    /// <inheritdoc cref="Transpose{T}(ReadOnlySpan{T}, Span{T}, int, int, int)"/>
    private static unsafe void Transpose<T>(T* ps, T* pd, int rows, int columns, int destinationStride)
        where T : unmanaged
    {
        int r0 = 0, c0 = 0;
        if (typeof(T) == typeof(float) && Avx.IsSupported)
        {
            for (r0 = 0; r0 + 8 <= rows; r0 += 8)
            {
                for (c0 = 0; c0 + 8 <= columns; c0 += 8)
                {
                    Transpose8x8((float*)ps + ((long)r0 * columns) + c0, columns, (float*)pd + ((long)c0 * destinationStride) + r0, destinationStride);
                }
            }

            // The right strip [0, r0) × [c0, columns) and the bottom strip [r0, rows) × all columns.
            c0 = columns - (columns % 8);
            TransposeScalar(ps, pd, columns, destinationStride, 0, r0, c0, columns);
            TransposeScalar(ps, pd, columns, destinationStride, r0, rows, 0, columns);
            return;
        }

        TransposeScalar(ps, pd, columns, destinationStride, 0, rows, 0, columns);
    }

    private static unsafe void TransposeScalar<T>(T* source, T* destination, int columns, int destinationStride, int rowStart, int rowEnd, int columnStart,
        int columnEnd)
        where T : unmanaged
    {
        for (int r = rowStart; r < rowEnd; r++)
        {
            T* from = source + ((long)r * columns);
            for (int col = columnStart; col < columnEnd; col++)
            {
                destination[((long)col * destinationStride) + r] = from[col];
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
}
