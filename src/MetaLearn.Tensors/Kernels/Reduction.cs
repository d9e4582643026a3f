using System.Numerics;
using System.Numerics.Tensors;

namespace MetaLearn.Tensors.Kernels;

/// <summary>Sum and max over any set of axes, with SIMD over the contiguous runs.</summary>
/// <remarks>
/// Adjacent axes that are both reduced or both kept are merged, so the input is walked as alternating blocks:
/// a reduced innermost block is a horizontal SIMD sum, a kept innermost block is a vertical SIMD add into the output row.
/// </remarks>
internal static class Reduction
{
    public static void Sum(Tensor input, bool[] reduced, Tensor result) => Run(input, reduced, result, max: false);

    public static void Max(Tensor input, bool[] reduced, Tensor result) => Run(input, reduced, result, max: true);

    private static void Run(Tensor input, bool[] reduced, Tensor result, bool max)
    {
        if (input.DType == DType.Float32)
        {
            Run<float>(input.F32, input.ShapeArray, reduced, result.F32, max);
        }
        else
        {
            Run<double>(input.F64, input.ShapeArray, reduced, result.F64, max);
        }
    }

    private static void Run<T>(ReadOnlySpan<T> input, int[] shape, bool[] reduced, Span<T> output, bool max)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        output.Fill(max ? T.NegativeInfinity : T.Zero);
        if (input.Length == 0)
        {
            return;
        }

        // Merge into blocks of (size, reduced), dropping size-1 axes which do not affect the layout.
        Span<int> sizes = stackalloc int[shape.Length];
        Span<bool> flags = stackalloc bool[shape.Length];
        int blocks = 0;
        for (int d = 0; d < shape.Length; d++)
        {
            if (shape[d] == 1)
            {
                continue;
            }

            if (blocks > 0 && flags[blocks - 1] == reduced[d])
            {
                sizes[blocks - 1] *= shape[d];
            }
            else
            {
                sizes[blocks] = shape[d];
                flags[blocks] = reduced[d];
                blocks++;
            }
        }

        if (blocks == 0)
        {
            output[0] = max ? T.Max(output[0], input[0]) : input[0];
            return;
        }

        Span<int> inInner = stackalloc int[blocks];
        Span<int> outInner = stackalloc int[blocks];
        int inStride = 1, outStride = 1;
        for (int b = blocks - 1; b >= 0; b--)
        {
            inInner[b] = inStride;
            outInner[b] = outStride;
            inStride *= sizes[b];
            if (!flags[b])
            {
                outStride *= sizes[b];
            }
        }

        Walk(input, output, sizes[..blocks], flags[..blocks], inInner, outInner, 0, 0, 0, max);
    }

    private static void Walk<T>(ReadOnlySpan<T> input, Span<T> output, ReadOnlySpan<int> sizes, ReadOnlySpan<bool> flags, ReadOnlySpan<int> inInner,
        ReadOnlySpan<int> outInner, int level, int inOffset, int outOffset, bool max)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int size = sizes[level];
        if (level == sizes.Length - 1)
        {
            var run = input.Slice(inOffset, size);
            if (flags[level])
            {
                output[outOffset] = max ? T.Max(output[outOffset], TensorPrimitives.Max(run)) : output[outOffset] + TensorPrimitives.Sum(run);
            }
            else
            {
                var target = output.Slice(outOffset, size);
                if (max)
                {
                    TensorPrimitives.Max(target, run, target);
                }
                else
                {
                    TensorPrimitives.Add(target, run, target);
                }
            }

            return;
        }

        for (int i = 0; i < size; i++)
        {
            Walk(input, output, sizes, flags, inInner, outInner, level + 1, inOffset + (i * inInner[level]), outOffset
                + (flags[level] ? 0 : i * outInner[level]), max);
        }
    }
}
