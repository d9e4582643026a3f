using System.Numerics;

namespace MetaLearn.Tensors.Kernels.Providers;

/// <summary>
/// The reference matrix product: each element of C is one chain of scalar fused multiply-adds, exactly as the
/// <see cref="IGemmKernel"/> contract defines it. Slow (no vectors, B read down its columns); the default only where the
/// machine has no SIMD, and the oracle the vector kernels are tested against.
/// </summary>
internal sealed class ScalarGemmKernel : IGemmKernel
{
    /// <inheritdoc/>
    public GemmKind Kind => GemmKind.Scalar;

    /// <inheritdoc/>
    public bool IsFused => true;

    /// <inheritdoc/>
    public unsafe void MultiplyRows(float* a, float* b, float* c, int first, int last, int n, int ldb, int k, int rowStride, int columnStride, bool accumulate)
        => MultiplyRows<float>(a, b, c, first, last, n, ldb, k, rowStride, columnStride, accumulate);

    /// <inheritdoc/>
    public unsafe void MultiplyRows(
        double* a, double* b, double* c, int first, int last, int n, int ldb, int k, int rowStride, int columnStride, bool accumulate)
        => MultiplyRows<double>(a, b, c, first, last, n, ldb, k, rowStride, columnStride, accumulate);

    /// <summary>The product for any IEEE element type (also <see cref="Half"/>, which no vector kernel handles).</summary>
    /// <inheritdoc cref="IGemmKernel.MultiplyRows(float*, float*, float*, int, int, int, int, int, int, int, bool)"/>
    public static unsafe void MultiplyRows<T>(T* a, T* b, T* c, int first, int last, int n, int ldb, int k, int rowStride, int columnStride, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = first; i < last; i++)
        {
            T* row = a + ((long)i * rowStride);
            T* target = c + ((long)i * n);
            for (int j = 0; j < n; j++)
            {
                T sum = T.Zero;
                for (int p = 0; p < k; p++)
                {
                    sum = T.FusedMultiplyAdd(row[(long)p * columnStride], b[((long)p * ldb) + j], sum);
                }

                target[j] = accumulate ? target[j] + sum : sum;
            }
        }
    }
}
