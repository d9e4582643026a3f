using System.Numerics;
using System.Numerics.Tensors;
using MetaLearn.Tensors.Internal;

namespace MetaLearn.Tensors.Kernels;

/// <summary>Elementwise binary functions with NumPy broadcasting, over SIMD span primitives.</summary>
internal static class Broadcasting
{
    /// <summary>result = f(a, b) for the kernel f, broadcasting a and b to result's shape.</summary>
    public static void Binary<TKernel>(Tensor a, Tensor b, Tensor result)
        where TKernel : struct, IBinaryKernel
    {
        if (result.DType == DType.Float32)
        {
            Binary<TKernel, float>(a.F32, a.ShapeArray, b.F32, b.ShapeArray, result.F32, result.ShapeArray);
        }
        else
        {
            Binary<TKernel, double>(a.F64, a.ShapeArray, b.F64, b.ShapeArray, result.F64, result.ShapeArray);
        }
    }

    /// <summary>target += addend for tensors of the same shape, in place (outside any graph).</summary>
    public static void AddInPlace(Tensor target, Tensor addend)
    {
        if (target.DType == DType.Float32)
        {
            TensorPrimitives.Add(target.F32, addend.F32, target.F32);
        }
        else
        {
            TensorPrimitives.Add(target.F64, addend.F64, target.F64);
        }
    }

    private static void Binary<TKernel, T>(ReadOnlySpan<T> a, int[] aShape, ReadOnlySpan<T> b, int[] bShape, Span<T> dst, int[] shape)
        where TKernel : struct, IBinaryKernel
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (dst.Length == 0)
        {
            return;
        }

        bool aFull = a.Length == dst.Length;
        bool bFull = b.Length == dst.Length;
        if (aFull && bFull)
        {
            TKernel.VectorVector(a, b, dst);
            return;
        }

        if (aFull && b.Length == 1)
        {
            TKernel.VectorScalar(a, b[0], dst);
            return;
        }

        if (bFull && a.Length == 1)
        {
            TKernel.ScalarVector(a[0], b, dst);
            return;
        }

        int rank = shape.Length;
        Span<int> aStrides = stackalloc int[rank];
        Span<int> bStrides = stackalloc int[rank];
        PaddedStrides(aShape, shape, aStrides);
        PaddedStrides(bShape, shape, bStrides);

        // Rows of the last dimension; each input is either contiguous (stride 1) or repeated (stride 0) along it.
        int inner = shape[rank - 1];
        int rows = dst.Length / inner;
        Span<int> index = stackalloc int[rank];
        int aOffset = 0, bOffset = 0;
        for (int row = 0; row < rows; row++)
        {
            var output = dst.Slice(row * inner, inner);
            bool aRow = aStrides[rank - 1] != 0;
            bool bRow = bStrides[rank - 1] != 0;
            if (aRow && bRow)
            {
                TKernel.VectorVector(a.Slice(aOffset, inner), b.Slice(bOffset, inner), output);
            }
            else if (aRow)
            {
                TKernel.VectorScalar(a.Slice(aOffset, inner), b[bOffset], output);
            }
            else if (bRow)
            {
                TKernel.ScalarVector(a[aOffset], b.Slice(bOffset, inner), output);
            }
            else
            {
                output.Fill(TKernel.Scalar(a[aOffset], b[bOffset]));
            }

            // Advance the odometer over the outer dimensions.
            for (int d = rank - 2; d >= 0; d--)
            {
                index[d]++;
                aOffset += aStrides[d];
                bOffset += bStrides[d];
                if (index[d] < shape[d])
                {
                    break;
                }

                aOffset -= aStrides[d] * shape[d];
                bOffset -= bStrides[d] * shape[d];
                index[d] = 0;
            }
        }
    }

    /// <summary>Strides of <paramref name="shape"/> aligned to the right of <paramref name="target"/>, 0 along broadcast dimensions.</summary>
    public static void PaddedStrides(int[] shape, int[] target, Span<int> strides)
    {
        int offset = target.Length - shape.Length;
        int stride = 1;
        for (int d = target.Length - 1; d >= 0; d--)
        {
            int size = d >= offset ? shape[d - offset] : 1;
            strides[d] = size == 1 ? 0 : stride;
            stride *= size;
        }
    }
}
