using MetaLearn.Tensors.Internal;

namespace MetaLearn.Tensors.Kernels;

/// <summary>Data movement: permutation of axes, selection and scatter along an axis, concatenation, dtype casts.</summary>
/// <remarks>Every kernel views a tensor as [outer, axis, inner] around the axis it works on and copies contiguous inner runs.</remarks>
internal static class Layout
{
    public static void Permute(Tensor input, int[] permutation, Tensor result)
    {
        if (input.DType == DType.Float32)
        {
            Permute<float>(input.F32, input.ShapeArray, permutation, result.F32, result.ShapeArray);
        }
        else
        {
            Permute<double>(input.F64, input.ShapeArray, permutation, result.F64, result.ShapeArray);
        }
    }

    private static void Permute<T>(ReadOnlySpan<T> input, int[] inShape, int[] permutation, Span<T> output, int[] outShape)
        where T : unmanaged
    {
        if (output.Length == 0)
        {
            return;
        }

        int rank = outShape.Length;
        int[] inStrides = ShapeHelper.Strides(inShape);
        Span<int> strides = stackalloc int[rank];
        for (int d = 0; d < rank; d++)
        {
            strides[d] = inStrides[permutation[d]];
        }

        int inner = outShape[rank - 1];
        int innerStride = strides[rank - 1];
        int rows = output.Length / inner;
        Span<int> index = stackalloc int[rank];
        int offset = 0;
        for (int row = 0; row < rows; row++)
        {
            var target = output.Slice(row * inner, inner);
            if (innerStride == 1)
            {
                input.Slice(offset, inner).CopyTo(target);
            }
            else
            {
                int src = offset;
                for (int i = 0; i < target.Length; i++, src += innerStride)
                {
                    target[i] = input[src];
                }
            }

            for (int d = rank - 2; d >= 0; d--)
            {
                index[d]++;
                offset += strides[d];
                if (index[d] < outShape[d])
                {
                    break;
                }

                offset -= strides[d] * outShape[d];
                index[d] = 0;
            }
        }
    }

    /// <summary>result[o, j, i] = input[o, indices[j], i], or with <paramref name="add"/>: result[o, indices[j], i] += input[o, j, i].</summary>
    public static void IndexSelect(Tensor input, int axis, int[] indices, Tensor result, bool add)
    {
        int[] shape = add ? result.ShapeArray : input.ShapeArray;
        int outer = ShapeHelper.Product(shape, 0, axis);
        int inner = ShapeHelper.Product(shape, axis + 1, shape.Length);
        int size = shape[axis];
        if (input.DType == DType.Float32)
        {
            IndexSelect<float>(input.F32, indices, result.F32, outer, size, inner, add);
        }
        else
        {
            IndexSelect<double>(input.F64, indices, result.F64, outer, size, inner, add);
        }
    }

    private static void IndexSelect<T>(ReadOnlySpan<T> input, int[] indices, Span<T> output, int outer, int size, int inner, bool add)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int count = indices.Length;
        if (add)
        {
            output.Clear();
        }

        for (int o = 0; o < outer; o++)
        {
            for (int j = 0; j < count; j++)
            {
                int selected = ((o * size) + indices[j]) * inner;
                int compact = ((o * count) + j) * inner;
                if (add)
                {
                    var target = output.Slice(selected, inner);
                    System.Numerics.Tensors.TensorPrimitives.Add(target, input.Slice(compact, inner), target);
                }
                else
                {
                    input.Slice(selected, inner).CopyTo(output.Slice(compact, inner));
                }
            }
        }
    }

    /// <summary>
    /// Gather: result[o, j, i] = input[o, index[o, j, i], i]; scatter-add (<paramref name="add"/>): result[o, index[o, j, i], i] += input[o, j, i].
    /// </summary>
    public static void Gather(Tensor input, int axis, int[] index, int[] indexShape, Tensor result, bool add)
    {
        int[] full = add ? result.ShapeArray : input.ShapeArray;
        int outer = ShapeHelper.Product(indexShape, 0, axis);
        int inner = ShapeHelper.Product(indexShape, axis + 1, indexShape.Length);
        int size = full[axis];
        int count = indexShape[axis];
        if (input.DType == DType.Float32)
        {
            Gather<float>(input.F32, index, result.F32, outer, size, count, inner, add);
        }
        else
        {
            Gather<double>(input.F64, index, result.F64, outer, size, count, inner, add);
        }
    }

    private static void Gather<T>(ReadOnlySpan<T> input, int[] index, Span<T> output, int outer, int size, int count, int inner, bool add)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        if (add)
        {
            output.Clear();
        }

        for (int o = 0; o < outer; o++)
        {
            for (int j = 0; j < count; j++)
            {
                int compact = ((o * count) + j) * inner;
                for (int i = 0; i < inner; i++)
                {
                    int full = ((((o * size) + index[compact + i]) * inner) + i);
                    if (add)
                    {
                        output[full] += input[compact + i];
                    }
                    else
                    {
                        output[compact + i] = input[full];
                    }
                }
            }
        }
    }

    /// <summary>Copies each part into its slab of <paramref name="result"/> along <paramref name="axis"/>.</summary>
    public static void Concat(IReadOnlyList<Tensor> parts, int axis, Tensor result)
    {
        int[] shape = result.ShapeArray;
        int outer = ShapeHelper.Product(shape, 0, axis);
        int inner = ShapeHelper.Product(shape, axis + 1, shape.Length);
        int total = shape[axis] * inner;
        int offset = 0;
        foreach (var part in parts)
        {
            int run = part.ShapeArray[axis] * inner;
            for (int o = 0; o < outer; o++)
            {
                Array.Copy(part.Storage, o * run, result.Storage, (o * total) + offset, run);
            }

            offset += run;
        }
    }

    public static void Cast(Tensor input, Tensor result)
    {
        if (input.DType == result.DType)
        {
            Array.Copy(input.Storage, result.Storage, input.Count);
        }
        else if (input.DType == DType.Float32)
        {
            var source = input.F32;
            var target = result.F64;
            for (int i = 0; i < source.Length; i++)
            {
                target[i] = source[i];
            }
        }
        else
        {
            var source = input.F64;
            var target = result.F32;
            for (int i = 0; i < source.Length; i++)
            {
                target[i] = (float)source[i];
            }
        }
    }
}
