using System.Numerics;

namespace MetaLearn.Tensors.Kernels;

/// <summary>General matrix multiply (placeholder reference implementation; replaced by the packed SIMD kernel).</summary>
internal static class Gemm
{
    public static void Multiply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int n, int k, bool transA, bool transB, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                T sum = T.Zero;
                for (int p = 0; p < k; p++)
                {
                    T x = transA ? a[(p * m) + i] : a[(i * k) + p];
                    T y = transB ? b[(j * k) + p] : b[(p * n) + j];
                    sum += x * y;
                }

                c[(i * n) + j] = accumulate ? c[(i * n) + j] + sum : sum;
            }
        }
    }

    public static void MultiplyBatched<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int batch, int m, int n, int k, bool transA, bool transB, bool accumulate, int aBatchStride, int bBatchStride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < batch; i++)
        {
            Multiply(a.Slice(i * aBatchStride, m * k), b.Slice(i * bBatchStride, k * n), c.Slice(i * m * n, m * n), m, n, k, transA, transB, accumulate);
        }
    }
}
