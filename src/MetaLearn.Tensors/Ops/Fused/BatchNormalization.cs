using System.Numerics;
using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>
/// Batch normalization with batch statistics over x [N, C, ...], optionally followed by ReLU in the same pass:
/// y = relu?((x − μ_c)·γ_c/√(σ²_c + ε) + β_c), μ and the biased σ² taken over every axis but 1.
/// </summary>
/// <remarks>
/// As one op it reads x twice for the statistics and once for the output, where the composite (mean, subtract, square,
/// mean, multiply, add, ReLU) makes seven full-size passes and keeps five full-size tensors alive for the backward pass; this
/// keeps none but its input and output. The backward pass without <c>createGraph</c> is two fused passes. When it is
/// recorded, it is written with ops (the statistics recomputed from x), so it is differentiable to any order; both give the
/// same gradient up to rounding.
/// </remarks>
internal sealed class BatchNormalization(Tensor x, Tensor gamma, Tensor beta, double epsilon, bool relu, double[] mean, double[] inverseStd)
    : Node(relu ? "batch_norm_relu" : "batch_norm", [x, gamma, beta])
{
    /// <summary>The forward pass; <paramref name="mean"/> and <paramref name="variance"/> receive the batch statistics.</summary>
    public static Tensor Apply(Tensor x, Tensor gamma, Tensor beta, double epsilon, bool relu, out double[] mean, out double[] variance)
    {
        var shape = new ChannelShape(x.ShapeArray);
        mean = new double[shape.Channels];
        variance = new double[shape.Channels];
        var inverseStd = new double[shape.Channels];
        var y = Tensor.EmptyLike(x);
        if (x.DType == DType.Float32)
        {
            Statistics<float>(x.F32, shape, mean, variance);
            Normalize<float>(x.F32, gamma.F32, beta.F32, y.F32, shape, mean, variance, inverseStd, epsilon, relu);
        }
        else
        {
            Statistics<double>(x.F64, shape, mean, variance);
            Normalize<double>(x.F64, gamma.F64, beta.F64, y.F64, shape, mean, variance, inverseStd, epsilon, relu);
        }

        return GradMode.ShouldRecord(x, gamma, beta) ? y.WithNode(new BatchNormalization(x, gamma, beta, epsilon, relu, mean, inverseStd)) : y;
    }

    public override void Backward(Tensor output, Tensor g, Tensor?[] grads)
    {
        if (GradMode.IsEnabled)
        {
            RecordedBackward(output, g, grads);
            return;
        }

        var shape = new ChannelShape(x.ShapeArray);
        var gx = Needs(0) ? Tensor.EmptyLike(x) : null;
        var sums = new double[shape.Channels];
        var products = new double[shape.Channels];
        if (x.DType == DType.Float32)
        {
            GradientSums<float>(g.F32, x.F32, relu ? output.F32 : default, shape, mean, sums, products);
            if (gx is not null)
            {
                InputGradient<float>(g.F32, x.F32, relu ? output.F32 : default, gamma.F32, gx.F32, shape, mean, inverseStd, sums, products);
            }
        }
        else
        {
            GradientSums<double>(g.F64, x.F64, relu ? output.F64 : default, shape, mean, sums, products);
            if (gx is not null)
            {
                InputGradient<double>(g.F64, x.F64, relu ? output.F64 : default, gamma.F64, gx.F64, shape, mean, inverseStd, sums, products);
            }
        }

        grads[0] = gx;
        ParameterGradients(grads, x.DType, sums, products, inverseStd, Needs(1), Needs(2));
    }

    /// <summary>The backward pass as ops of x, γ and g, so that it is itself differentiable.</summary>
    private void RecordedBackward(Tensor output, Tensor g, Tensor?[] grads)
        => RecordedGradients(x, gamma, epsilon, relu ? output : null, g, grads, Needs(0), Needs(1), Needs(2));

    /// <summary>
    /// The gradients of batch norm (and ReLU, when <paramref name="reluOutput"/> is given: its positive entries are the mask)
    /// as recorded ops of x, γ and g: the statistics are recomputed from x so that their dependence on x is differentiated too.
    /// </summary>
    internal static void RecordedGradients(Tensor x, Tensor gamma, double epsilon, Tensor? reluOutput, Tensor g, Tensor?[] grads, bool needX, bool needGamma, bool needBeta)
    {
        // The ReLU mask is piecewise constant: a constant in every order.
        var gp = reluOutput is not null ? ReluGradient.Apply(g, reluOutput, 0) : g;
        var shape = new ChannelShape(x.ShapeArray);
        int[] axes = shape.ReducedAxes;
        double count = shape.PerChannel;
        var mu = Elementwise.MultiplyScalar(Sum.Apply(x, axes, keepDims: true), 1.0 / count);
        var centered = Elementwise.Subtract(x, mu);
        var variance = Elementwise.MultiplyScalar(Sum.Apply(Elementwise.Multiply(centered, centered), axes, keepDims: true), 1.0 / count);
        var rstd = Elementwise.Power(Elementwise.AddScalar(variance, epsilon), -0.5);
        var normalized = Elementwise.Multiply(centered, rstd);
        var gpNormalized = Elementwise.Multiply(gp, normalized);
        var sumG = Sum.Apply(gp, axes, keepDims: true);
        var sumGx = Sum.Apply(gpNormalized, axes, keepDims: true);
        if (needBeta)
        {
            grads[2] = Reshape.Apply(sumG, gamma.ShapeArray);
        }

        if (needGamma)
        {
            grads[1] = Reshape.Apply(sumGx, gamma.ShapeArray);
        }

        if (needX)
        {
            // dx = γ·rstd·(g − mean(g) − x̂·mean(g·x̂)).
            var inner = Elementwise.Subtract(Elementwise.Subtract(gp, Elementwise.MultiplyScalar(sumG, 1.0 / count)), Elementwise.Multiply(normalized, Elementwise.MultiplyScalar(sumGx, 1.0 / count)));
            grads[0] = Elementwise.Multiply(inner, Elementwise.Multiply(Reshape.Apply(gamma, shape.BroadcastShape), rstd));
        }
    }

    /// <summary>dγ = Σ g·x̂ = rstd·Σ g·(x − μ) and dβ = Σ g, from the per-channel sums of the fused backward pass.</summary>
    internal static void ParameterGradients(Tensor?[] grads, DType dtype, double[] sums, double[] products, double[] inverseStd, bool needGamma, bool needBeta)
    {
        if (needGamma)
        {
            var gGamma = new double[sums.Length];
            for (int c = 0; c < gGamma.Length; c++)
            {
                gGamma[c] = products[c] * inverseStd[c];
            }

            grads[1] = Tensor.FromArray(gGamma).AsType(dtype);
        }

        if (needBeta)
        {
            grads[2] = Tensor.FromArray(sums).AsType(dtype);
        }
    }

    /// <summary>Per-channel mean and biased variance, two passes (no cancellation), accumulated in double; channels in parallel.</summary>
    internal static unsafe void Statistics<T>(ReadOnlySpan<T> x, ChannelShape shape, double[] mean, double[] variance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* px = x)
        {
            nint xs = (nint)px;
            int length = x.Length;
            shape.ForChannels((first, last) => ChannelStatistics(new ReadOnlySpan<T>((T*)xs, length), shape, mean, variance, first, last));
        }
    }

    /// <summary>The statistics of channels [first, last), each summed over its runs in batch order.</summary>
    private static void ChannelStatistics<T>(ReadOnlySpan<T> x, ChannelShape shape, double[] mean, double[] variance, int first, int last)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int batch = shape.Runs / shape.Channels;
        for (int c = first; c < last; c++)
        {
            for (int n = 0; n < batch; n++)
            {
                mean[c] += ChannelKernels.Sum(x.Slice(((n * shape.Channels) + c) * shape.RunLength, shape.RunLength));
            }

            mean[c] /= shape.PerChannel;
            var m = T.CreateTruncating(mean[c]);
            for (int n = 0; n < batch; n++)
            {
                variance[c] += ChannelKernels.SquaredDeviation(x.Slice(((n * shape.Channels) + c) * shape.RunLength, shape.RunLength), m);
            }

            variance[c] /= shape.PerChannel;
        }
    }

    internal static void Normalize<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, Span<T> y, ChannelShape shape, double[] mean, double[] variance, double[] inverseStd, double epsilon, bool relu)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (scale, shift) = Affine(gamma, beta, mean, variance, inverseStd, epsilon);
        for (int run = 0; run < shape.Runs; run++)
        {
            int c = run % shape.Channels;
            var range = new Range(run * shape.RunLength, (run + 1) * shape.RunLength);
            ChannelKernels.ScaleShift(x[range], y[range], scale[c], shift[c], relu);
        }
    }

    /// <summary>The per-channel y = x·scale + shift of the forward pass; fills <paramref name="inverseStd"/> = 1/√(σ² + ε).</summary>
    internal static (T[] Scale, T[] Shift) Affine<T>(ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, double[] mean, double[] variance, double[] inverseStd, double epsilon)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var scale = new T[mean.Length];
        var shift = new T[mean.Length];
        for (int c = 0; c < scale.Length; c++)
        {
            inverseStd[c] = 1.0 / Math.Sqrt(variance[c] + epsilon);
            double s = double.CreateTruncating(gamma[c]) * inverseStd[c];
            scale[c] = T.CreateTruncating(s);
            shift[c] = T.CreateTruncating(double.CreateTruncating(beta[c]) - (mean[c] * s));
        }

        return (scale, shift);
    }

    /// <summary>Per channel: Σ g' and Σ g'·(x − μ), where g' is g masked by the ReLU (output &gt; 0) when fused.</summary>
    internal static void GradientSums<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, ReadOnlySpan<T> output, ChannelShape shape, double[] mean, double[] sums, double[] products)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int run = 0; run < shape.Runs; run++)
        {
            int c = run % shape.Channels;
            var range = new Range(run * shape.RunLength, (run + 1) * shape.RunLength);
            var (sum, product) = ChannelKernels.GradientSums(g[range], x[range], output.IsEmpty ? default : output[range], T.CreateTruncating(mean[c]));
            sums[c] += sum;
            products[c] += product;
        }
    }

    /// <summary>dx = γ·rstd·g' − γ·rstd·Σg'/M − (x − μ)·γ·rstd³·Σg'(x − μ)/M, one pass.</summary>
    internal static void InputGradient<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, ReadOnlySpan<T> output, ReadOnlySpan<T> gamma, Span<T> gx, ChannelShape shape, double[] mean, double[] inverseStd, double[] sums, double[] products)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (gain, slope, offset) = GradientAffine(gamma, shape, mean, inverseStd, sums, products);
        for (int run = 0; run < shape.Runs; run++)
        {
            int c = run % shape.Channels;
            var range = new Range(run * shape.RunLength, (run + 1) * shape.RunLength);
            ChannelKernels.InputGradient(g[range], x[range], output.IsEmpty ? default : output[range], gx[range], gain[c], slope[c], offset[c]);
        }
    }

    /// <summary>The per-channel dx = gain·g' + slope·x + offset of the backward pass.</summary>
    internal static (T[] Gain, T[] Slope, T[] Offset) GradientAffine<T>(ReadOnlySpan<T> gamma, ChannelShape shape, double[] mean, double[] inverseStd, double[] sums, double[] products)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var gain = new T[shape.Channels];
        var slope = new T[shape.Channels];
        var offset = new T[shape.Channels];
        for (int c = 0; c < gain.Length; c++)
        {
            double k = double.CreateTruncating(gamma[c]) * inverseStd[c];
            double xSlope = -k * inverseStd[c] * inverseStd[c] * products[c] / shape.PerChannel;
            gain[c] = T.CreateTruncating(k);
            slope[c] = T.CreateTruncating(xSlope);
            offset[c] = T.CreateTruncating((-k * sums[c] / shape.PerChannel) - (xSlope * mean[c]));
        }

        return (gain, slope, offset);
    }
}
