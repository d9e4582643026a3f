using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Internal;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>
/// 2-d convolution (cross-correlation) of x [N, C, H, W] with weight [O, C, kh, kw] and an optional bias [O], one image at
/// a time: im2col of the image into a small scratch buffer that stays in cache, one GEMM, the bias added in place.
/// </summary>
/// <remarks>
/// Nothing but x and the weight is kept for the backward pass: the column matrix is rebuilt there, image by image, instead of
/// holding [N, C·kh·kw, OH·OW] for the graph's lifetime (for the Omniglot net's second layer that is 34 MB per task). When the
/// backward pass is itself recorded (<c>createGraph</c>) it is written with <see cref="Unfold"/>, <see cref="MatMul"/>,
/// <see cref="BatchSumMatMul"/> and <see cref="Fold"/>, so it is differentiable to any order; otherwise it runs the same
/// products straight from scratch buffers.
/// </remarks>
internal sealed class Convolution(Tensor x, Tensor weight, Tensor? bias, Window window)
    : Node("conv2d", bias is null ? [x, weight] : [x, weight, bias])
{
    /// <summary>Images per chunk of the weight gradient (a batch of at most this many sums as one loop over its images).</summary>
    internal const int WeightGradientChunk = 32;

    /// <summary>The convolution; the caller has checked that the shapes and dtypes match and the window fits.</summary>
    public static Tensor Apply(Tensor x, Tensor weight, Tensor? bias, Window window)
    {
        var s = x.ShapeArray;
        int outputs = weight.ShapeArray[0];
        int oh = Im2Col.OutputSize(s[2], window.ExtentH, window.StrideH, window.PadH);
        int ow = Im2Col.OutputSize(s[3], window.ExtentW, window.StrideW, window.PadW);
        var y = Tensor.Empty([s[0], outputs, oh, ow], x.DType);
        var shape = new ConvolutionShape(s, outputs, window);
        if (x.DType == DType.Float32)
        {
            Forward<float>(x.F32, weight.F32, bias is null ? default : bias.F32, y.F32, shape);
        }
        else
        {
            Forward<double>(x.F64, weight.F64, bias is null ? default : bias.F64, y.F64, shape);
        }

        return GradMode.ShouldRecord(x, weight, bias) ? y.WithNode(new Convolution(x, weight, bias, window)) : y;
    }

    public override void Backward(Tensor output, Tensor g, Tensor?[] grads)
    {
        var s = x.ShapeArray;
        var shape = new ConvolutionShape(s, weight.ShapeArray[0], window);
        if (GradMode.IsEnabled)
        {
            RecordedBackward(g, grads, shape);
            return;
        }

        var gx = Needs(0) ? Tensor.Empty(s, x.DType) : null;
        var gw = Needs(1) ? Tensor.Empty(weight.ShapeArray, x.DType) : null;
        var gb = bias is not null && Needs(2) ? Tensor.Empty(bias.ShapeArray, x.DType) : null;
        if (x.DType == DType.Float32)
        {
            Backward<float>(x.F32, weight.F32, g.F32, gx is null ? default : gx.F32, gw is null ? default : gw.F32, gb is null ? default : gb.F32, shape);
        }
        else
        {
            Backward<double>(x.F64, weight.F64, g.F64, gx is null ? default : gx.F64, gw is null ? default : gw.F64, gb is null ? default : gb.F64, shape);
        }

        grads[0] = gx;
        grads[1] = gw;
        if (bias is not null)
        {
            grads[2] = gb;
        }
    }

    private void RecordedBackward(Tensor g, Tensor?[] grads, ConvolutionShape shape)
    {
        var gy = Reshape.Apply(g, [shape.Batch, shape.Outputs, shape.Pixels]);
        if (Needs(0))
        {
            var columns = MatMul.Apply(Reshape.Apply(weight, [shape.Outputs, shape.Rows]), gy, transA: true);
            grads[0] = Fold.Apply(columns, x.ShapeArray, window);
        }

        if (Needs(1))
        {
            var columns = Unfold.Apply(x, window);
            grads[1] = Reshape.Apply(BatchSumMatMul.Apply(gy, columns, false, true), weight.ShapeArray);
        }

        if (bias is not null && Needs(2))
        {
            grads[2] = Sum.Apply(g, [0, 2, 3], keepDims: false);
        }
    }

    private static unsafe void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> y, ConvolutionShape shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = shape.Rows, pixels = shape.Pixels, outputs = shape.Outputs;
        if (weight.Length < outputs * rows || y.Length < shape.Batch * outputs * pixels)
        {
            throw new ArgumentException("conv2d: weight or output buffer too short.", nameof(weight));
        }

        // The transposed product's Wᵀ, or the shifted products' taps' blocks [tap, O, C]: laid out once for every image.
        var weightT = shape.TransposedProductPays || shape.Shifted ? ArrayPool<T>.Shared.Rent(rows * outputs) : null;
        try
        {
            if (shape.Shifted)
            {
                shape.ShiftedProducts.ArrangeWeight(weight[..(outputs * rows)], weightT, default);
            }
            else if (weightT is not null)
            {
                Gemm.Transpose(weight[..(outputs * rows)], weightT, outputs, rows);
            }

            int parts = ImageBatches.Parts(shape.Batch, (long)rows * pixels * outputs);
            if (parts <= 1)
            {
                ForwardImages(x, weight, weightT, bias, y, shape, 0, shape.Batch);
                return;
            }

            fixed (T* px = x, pw = weight, pb = bias, py = y)
            {
                nint xs = (nint)px, ws = (nint)pw, bs = (nint)pb, ys = (nint)py;
                int xLength = x.Length, wLength = weight.Length, bLength = bias.Length, yLength = y.Length;
                ImageBatches.Run(shape.Batch, parts, (first, last) => ForwardImages(
                    new ReadOnlySpan<T>((T*)xs, xLength), new ReadOnlySpan<T>((T*)ws, wLength), weightT, new ReadOnlySpan<T>((T*)bs, bLength),
                    new Span<T>((T*)ys, yLength), shape, first, last));
            }
        }
        finally
        {
            if (weightT is not null)
            {
                ArrayPool<T>.Shared.Return(weightT);
            }
        }
    }

    /// <summary>Images [first, last) of the forward pass, with scratch buffers of their own.</summary>
    private static void ForwardImages<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, T[]? weightT, ReadOnlySpan<T> bias, Span<T> y,
        ConvolutionShape shape, int first, int last)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (shape.Shifted && weightT is not null)
        {
            ShiftedForwardImages(x, weightT, bias, y, shape, first, last);
            return;
        }

        int rows = shape.Rows, pixels = shape.Pixels, outputs = shape.Outputs;
        var columns = ArrayPool<T>.Shared.Rent(rows * pixels);
        var outputT = weightT is not null ? ArrayPool<T>.Shared.Rent(pixels * outputs) : null;
        try
        {
            for (int image = first; image < last; image++)
            {
                var cols = columns.AsSpan(0, rows * pixels);
                shape.Unfold(x.Slice(image * shape.ImageSize, shape.ImageSize), cols);
                var target = y.Slice(image * outputs * pixels, outputs * pixels);
                if (weightT is not null && outputT is not null)
                {
                    Gemm.Multiply<T>(cols, weightT.AsSpan(0, rows * outputs), outputT, pixels, outputs, rows, true, false, false);
                    Gemm.Transpose<T>(outputT.AsSpan(0, pixels * outputs), target, pixels, outputs);
                }
                else
                {
                    Gemm.Multiply<T>(weight, cols, target, outputs, pixels, rows, false, false, false);
                }

                if (!bias.IsEmpty)
                {
                    for (int o = 0; o < outputs; o++)
                    {
                        var plane = target.Slice(o * pixels, pixels);
                        TensorPrimitives.Add(plane, bias[o], plane);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(columns);
            if (outputT is not null)
            {
                ArrayPool<T>.Shared.Return(outputT);
            }
        }
    }

    /// <summary>Images [first, last) of the forward pass on shifted views of each padded image; <paramref name="taps"/> is [tap, O, C].</summary>
    private static void ShiftedForwardImages<T>(ReadOnlySpan<T> x, T[] taps, ReadOnlySpan<T> bias, Span<T> y, ConvolutionShape shape, int first,
        int last)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shifted = shape.ShiftedProducts;
        int outputSize = shape.Outputs * shape.Pixels;
        using var padded = new RentedArray<T>(shifted.PaddedLength);
        using var grid = new RentedArray<T>(shifted.GridLength);
        for (int image = first; image < last; image++)
        {
            shifted.Pad(x.Slice(image * shape.ImageSize, shape.ImageSize), padded.Array);
            shifted.Forward<T>(taps.AsSpan(0, shape.Rows * shape.Outputs), padded.Array, grid.Array);
            shifted.Compact<T>(grid.Array, y.Slice(image * outputSize, outputSize), bias);
        }
    }

    private static unsafe void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> g, Span<T> gx, Span<T> gw, Span<T> gb,
        ConvolutionShape shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = shape.Rows, pixels = shape.Pixels, outputs = shape.Outputs;

        if (!gw.IsEmpty)
        {
            WeightGradient(x, g, gw, shape);
        }

        // The input gradient of each image depends on that image's g only, so images are split over threads.
        if (!gx.IsEmpty)
        {
            // The shifted products take the weight as the taps' blocks [tap, C, O], laid out once for every image.
            var taps = shape.Shifted ? ArrayPool<T>.Shared.Rent(rows * outputs) : null;
            try
            {
                if (taps is not null)
                {
                    shape.ShiftedProducts.ArrangeWeight(weight[..(rows * outputs)], default, taps);
                    weight = taps.AsSpan(0, rows * outputs);
                }

                int parts = ImageBatches.Parts(shape.Batch, (long)rows * pixels * outputs);
                if (parts <= 1)
                {
                    InputGradientImages(weight, g, gx, shape, 0, shape.Batch);
                }
                else
                {
                    fixed (T* pw = weight, pg = g, pgx = gx)
                    {
                        nint ws = (nint)pw, gs = (nint)pg, gxs = (nint)pgx;
                        int wLength = weight.Length, gLength = g.Length, gxLength = gx.Length;
                        ImageBatches.Run(shape.Batch, parts, (first, last) => InputGradientImages(
                            new ReadOnlySpan<T>((T*)ws, wLength), new ReadOnlySpan<T>((T*)gs, gLength), new Span<T>((T*)gxs, gxLength), shape, first,
                                last));
                    }
                }
            }
            finally
            {
                if (taps is not null)
                {
                    ArrayPool<T>.Shared.Return(taps);
                }
            }
        }

        if (!gb.IsEmpty)
        {
            gb.Clear();
            for (int image = 0; image < shape.Batch; image++)
            {
                for (int o = 0; o < outputs; o++)
                {
                    gb[o] += TensorPrimitives.Sum(g.Slice(((image * outputs) + o) * pixels, pixels));
                }
            }
        }
    }

    /// <summary>
    /// dW = Σ over images of g·columnsᵀ, accumulated transposed, [rows, outputs] = Σ columns · gᵀ (transposing one image's
    /// small g costs less than transposing its column matrix). The images are cut into chunks of
    /// <see cref="WeightGradientChunk"/>: each chunk sums its images in order, then the chunks' sums are added in chunk order,
    /// so the bits depend on the batch size alone, never on the thread count, and chunks run in parallel when the batch
    /// is large (a metric learner's episode is one task of hundreds of images).
    /// </summary>
    private static unsafe void WeightGradient<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> gw, ConvolutionShape shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = shape.Rows, outputs = shape.Outputs, size = rows * outputs;
        if (shape.Batch == 0)
        {
            gw[..size].Clear();
            return;
        }

        int chunks = (shape.Batch + WeightGradientChunk - 1) / WeightGradientChunk;
        var partials = ArrayPool<T>.Shared.Rent(chunks * size);
        try
        {
            int parts = Math.Min(chunks, ImageBatches.Parts(shape.Batch, (long)rows * shape.Pixels * outputs));
            if (parts <= 1)
            {
                for (int chunk = 0; chunk < chunks; chunk++)
                {
                    WeightGradientChunkSum(x, g, partials.AsSpan(chunk * size, size), shape, chunk);
                }
            }
            else
            {
                fixed (T* px = x, pg = g)
                {
                    nint xs = (nint)px, gs = (nint)pg;
                    int xLength = x.Length, gLength = g.Length;
                    Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = parts }, chunk =>
                    {
                        using var serial = Parallelism.SerialKernels();
                        WeightGradientChunkSum(new ReadOnlySpan<T>((T*)xs, xLength), new ReadOnlySpan<T>((T*)gs, gLength),
                            partials.AsSpan(chunk * size, size), shape, chunk);
                    });
                }
            }

            var total = partials.AsSpan(0, size);
            for (int chunk = 1; chunk < chunks; chunk++)
            {
                TensorPrimitives.Add(total, partials.AsSpan(chunk * size, size), total);
            }

            if (shape.Shifted)
            {
                shape.ShiftedProducts.GatherWeightGradient<T>(total, gw[..size]);
            }
            else
            {
                Gemm.Transpose<T>(total, gw[..size], rows, outputs);
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(partials);
        }
    }

    /// <summary>One chunk's Σ columns · gᵀ over its images in order, written to <paramref name="transposedGw"/> [rows, outputs].</summary>
    private static void WeightGradientChunkSum<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> transposedGw, ConvolutionShape shape, int chunk)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = shape.Rows, pixels = shape.Pixels, outputs = shape.Outputs;
        int first = chunk * WeightGradientChunk, last = Math.Min(shape.Batch, first + WeightGradientChunk);
        if (shape.Shifted)
        {
            ShiftedWeightGradientChunkSum(x, g, transposedGw, shape, first, last);
            return;
        }

        var columns = ArrayPool<T>.Shared.Rent(rows * pixels);
        try
        {
            var cols = columns.AsSpan(0, rows * pixels);
            for (int image = first; image < last; image++)
            {
                shape.Unfold(x.Slice(image * shape.ImageSize, shape.ImageSize), cols);
                Gemm.Multiply<T>(cols, g.Slice(image * outputs * pixels, outputs * pixels), transposedGw, rows, outputs, pixels, false, true, image > first);
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(columns);
        }
    }

    /// <summary>Images [first, last)'s Σ of weight gradients on the shifted path, written as the taps' blocks [tap, C, O].</summary>
    private static void ShiftedWeightGradientChunkSum<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> taps, ConvolutionShape shape, int first,
        int last)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shifted = shape.ShiftedProducts;
        int outputSize = shape.Outputs * shape.Pixels;
        using var padded = new RentedArray<T>(shifted.PaddedLength);
        using var grid = new RentedArray<T>(shifted.GridLength);
        using var transposed = new RentedArray<T>(shifted.TransposedLength);
        for (int image = first; image < last; image++)
        {
            shifted.Pad(x.Slice(image * shape.ImageSize, shape.ImageSize), padded.Array);
            shifted.TransposeOutputGradient(g.Slice(image * outputSize, outputSize), grid.Array, transposed.Array);
            shifted.AddWeightGradient<T>(padded.Array, transposed.Array, taps, accumulate: image > first);
        }
    }

    /// <summary>
    /// The input gradient of images [first, last): dcolumns = Wᵀ·g, folded back onto each image; on the shifted path
    /// (<paramref name="weight"/> then the taps' blocks [tap, C, O]) the shifted products of each image's framed g.
    /// </summary>
    private static void InputGradientImages<T>(ReadOnlySpan<T> weight, ReadOnlySpan<T> g, Span<T> gx, ConvolutionShape shape, int first, int last)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (shape.Shifted)
        {
            ShiftedInputGradientImages(weight, g, gx, shape, first, last);
            return;
        }

        int rows = shape.Rows, pixels = shape.Pixels, outputs = shape.Outputs;
        var columns = ArrayPool<T>.Shared.Rent(rows * pixels);

        // As in the forward pass, maps smaller than a GEMM panel take the transposed product gᵀ·W for the column gradients.
        var transposedColumns = shape.TransposedProductPays ? ArrayPool<T>.Shared.Rent(pixels * rows) : null;
        try
        {
            var cols = columns.AsSpan(0, rows * pixels);
            for (int image = first; image < last; image++)
            {
                var gy = g.Slice(image * outputs * pixels, outputs * pixels);
                if (transposedColumns is not null)
                {
                    Gemm.Multiply<T>(gy, weight, transposedColumns, pixels, rows, outputs, true, false, false);
                    Gemm.Transpose<T>(transposedColumns.AsSpan(0, pixels * rows), cols, pixels, rows);
                }
                else
                {
                    Gemm.Multiply<T>(weight, gy, cols, rows, pixels, outputs, true, false, false);
                }

                shape.Fold(cols, gx.Slice(image * shape.ImageSize, shape.ImageSize));
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(columns);
            if (transposedColumns is not null)
            {
                ArrayPool<T>.Shared.Return(transposedColumns);
            }
        }
    }

    /// <summary>The input gradient of images [first, last) on the shifted path; <paramref name="taps"/> is [tap, C, O].</summary>
    private static void ShiftedInputGradientImages<T>(ReadOnlySpan<T> taps, ReadOnlySpan<T> g, Span<T> gx, ConvolutionShape shape, int first,
        int last)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shifted = shape.ShiftedProducts;
        int outputSize = shape.Outputs * shape.Pixels;
        using var framed = new RentedArray<T>(shifted.FramedLength);
        using var grid = new RentedArray<T>(shifted.InputGridLength);
        for (int image = first; image < last; image++)
        {
            shifted.InputGradient(taps, g.Slice(image * outputSize, outputSize), framed.Array, grid.Array,
                gx.Slice(image * shape.ImageSize, shape.ImageSize));
        }
    }
}
