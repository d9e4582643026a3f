using MetaLearn.Tensors.Internal;
using MetaLearn.Tensors.Kernels;
using MetaLearn.Tensors.Ops;

namespace MetaLearn.Tensors;

/// <summary>
/// The differentiable functions of neural networks, each differentiable to any order. Two kinds, said on each member:
/// composites written with the primitive ops, which have no backward code of their own (log-sum-exp, softmax and
/// log-softmax, layer norm, average pooling); and entry points to fused ops (in <c>Ops/Fused</c>), single nodes that do
/// the work of several primitives for speed and memory, each with its forward and backward in one file and a backward
/// written with ops when it is recorded (linear, convolution, batch norm and its ReLU/max-pool tail, max pooling, and the
/// steps in <c>Functional.Fused.cs</c>). Every fused op is tested bit for bit or to rounding against its composition.
/// </summary>
public static partial class Functional
{
    /// <summary>log Σ exp(x) along <paramref name="axis"/>, stabilized by subtracting the (constant) maximum.</summary>
    public static Tensor LogSumExp(Tensor x, int axis = -1, bool keepDims = false)
    {
        ArgumentNullException.ThrowIfNull(x);

        // A non-finite maximum (a fully masked row of −∞, or a +∞) would give ∞ − ∞ = NaN; shifting by 0 there gives the right limit.
        var shift = x.Max(axis, keepDims: true).Clone();
        for (int i = 0; i < shift.Count; i++)
        {
            if (!double.IsFinite(shift.GetFlat(i)))
            {
                shift.SetFlat(i, 0);
            }
        }

        var result = (x - shift).Exp().Sum(axis, keepDims: true).Log() + shift;
        return keepDims ? result : result.Squeeze(axis);
    }

    /// <summary>log softmax along <paramref name="axis"/>: x − logsumexp(x), numerically stable.</summary>
    public static Tensor LogSoftmax(Tensor x, int axis = -1) => x - LogSumExp(x, axis, keepDims: true);

    /// <summary>softmax along <paramref name="axis"/>: exp(x − max) / Σ exp(x − max).</summary>
    public static Tensor Softmax(Tensor x, int axis = -1)
    {
        ArgumentNullException.ThrowIfNull(x);
        var e = (x - x.Max(axis, keepDims: true).Detach()).Exp();
        return e / e.Sum(axis, keepDims: true);
    }

    /// <summary>
    /// x·Wᵀ + b for x [..., in], W [out, in], b [out] (PyTorch's layout). With a leading task axis on the weights,
    /// W [T, out, in] and b [T, out], x must be [T, N, in] and each task's rows use that task's weights (batched tasks).
    /// One node: the bias is added in the matrix product's epilogue.
    /// </summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias = null) => Linear(x, weight, bias, relu: false);

    /// <summary>max(x·Wᵀ + b, 0) as one node (<see cref="Linear(Tensor, Tensor, Tensor?)"/> followed by ReLU, bit for bit).</summary>
    public static Tensor LinearRelu(Tensor x, Tensor weight, Tensor? bias = null) => Linear(x, weight, bias, relu: true);

    private static Tensor Linear(Tensor x, Tensor weight, Tensor? bias, bool relu)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        bool batched = weight.Rank == 3;
        if ((weight.Rank != 2 && !batched) || x.Rank < 1 || x.ShapeArray[^1] != weight.ShapeArray[^1]
            || (batched && (x.Rank != 3 || x.ShapeArray[0] != weight.ShapeArray[0])))
        {
            throw new ArgumentException($"linear: input {Shapes.Format(x.ShapeArray)} does not match weight "
                + $"{Shapes.Format(weight.ShapeArray)} (expected [..., in] with [out, in], or [T, N, in] with [T, out, in]).", nameof(x));
        }

        CheckDTypes("linear", x, weight, bias);
        var input = x.Rank == 1 ? x.Reshape(1, -1) : x;
        var y = FusedLinear.Apply(input, weight, bias, relu);
        return x.Rank == 1 ? y.Reshape(-1) : y;
    }

    /// <summary>
    /// 2-d convolution (cross-correlation, as in every deep-learning library) of x [N, C, H, W] with weight
    /// [O, C/groups, kh, kw] and optional bias [O], by im2col and a matrix product per image (see the
    /// remarks of the primitive: the column matrix is rebuilt in the backward pass rather than kept).
    /// </summary>
    /// <remarks>
    /// With <paramref name="dilation"/> d the kernel taps are d pixels apart, so the window spans d·(k − 1) + 1 pixels. With
    /// <paramref name="groups"/> g the channels are split into g groups convolved separately (input channels C/g and output
    /// channels O/g each; g = C is a depthwise convolution): written as g convolutions of channel slices, concatenated.
    /// </remarks>
    /// <param name="x">The images [N, C, H, W].</param>
    /// <param name="weight">The filters [O, C/groups, kh, kw].</param>
    /// <param name="bias">One value per output channel [O], or null.</param>
    /// <param name="stride">Step between windows (both axes).</param>
    /// <param name="padding">Zeros added on every side.</param>
    /// <param name="dilation">Spacing of the kernel taps (1: adjacent).</param>
    /// <param name="groups">Number of channel groups; divides C and O.</param>
    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int dilation = 1, int groups = 1)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        if (groups <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(groups), groups,
                $"conv2d: groups must be positive (input {Shapes.Format(x.ShapeArray)}, weight {Shapes.Format(weight.ShapeArray)}).");
        }

        if (weight.Rank != 4 || x.Rank != 4 || x.ShapeArray[1] != weight.ShapeArray[1] * groups || weight.ShapeArray[0] % groups != 0)
        {
            throw new ArgumentException($"conv2d: input {Shapes.Format(x.ShapeArray)} and weight {Shapes.Format(weight.ShapeArray)} do "
                + $"not match with {groups} group(s) (expected [N, C, H, W] and [O, C/groups, kh, kw], O divisible by groups).", nameof(x));
        }

        CheckDTypes("conv2d", x, weight, bias);

        var ws = weight.ShapeArray;
        if (stride <= 0 || padding < 0 || dilation <= 0)
        {
            throw new ArgumentException($"conv2d: stride and dilation must be positive and padding non-negative, got stride {stride}, padding "
                + $"{padding}, dilation {dilation}.", stride <= 0 ? nameof(stride) : padding < 0 ? nameof(padding) : nameof(dilation));
        }

        var window = new Window(ws[2], ws[3], stride, stride, padding, padding, dilation, dilation);
        if (x.ShapeArray[2] + (2 * padding) < window.ExtentH || x.ShapeArray[3] + (2 * padding) < window.ExtentW)
        {
            throw new ArgumentException($"conv2d: the {ws[2]}x{ws[3]} kernel (dilation {dilation}) does not fit the padded input "
                + $"{Shapes.Format(x.ShapeArray)} (padding {padding}).", nameof(x));
        }

        if (bias is not null && (bias.Rank != 1 || bias.ShapeArray[0] != ws[0]))
        {
            throw new ArgumentException($"conv2d: bias {Shapes.Format(bias.ShapeArray)} does not match {ws[0]} output channels.", nameof(bias));
        }

        if (groups == 1)
        {
            return Convolution.Apply(x, weight, bias, window);
        }

        int inputs = ws[1], outputs = ws[0] / groups;
        var parts = new Tensor[groups];
        for (int g = 0; g < groups; g++)
        {
            parts[g] = Convolution.Apply(
                x.Slice(1, g * inputs, (g + 1) * inputs),
                weight.Slice(0, g * outputs, (g + 1) * outputs),
                bias?.Slice(0, g * outputs, (g + 1) * outputs),
                window);
        }

        return Tensor.Concat(parts, 1);
    }

    /// <summary>
    /// Batch normalization with the statistics of this batch: (x − μ_c)·γ_c/√(σ²_c + ε) + β_c over x [N, C, ...], μ and the
    /// biased σ² taken over every axis but the channel axis; with <paramref name="relu"/>, ReLU is applied in the same pass.
    /// One fused op, differentiable to any order.
    /// </summary>
    public static Tensor BatchNorm(Tensor x, Tensor weight, Tensor bias, double epsilon = 1e-5, bool relu = false)
        => BatchNorm(x, weight, bias, epsilon, relu, out _, out _);

    /// <summary>
    /// <see cref="BatchNorm(Tensor, Tensor, Tensor, double, bool)"/>, also giving the batch statistics (per channel, the mean
    /// and the biased variance) for running averages.
    /// </summary>
    public static Tensor BatchNorm(Tensor x, Tensor weight, Tensor bias, double epsilon, bool relu, out double[] batchMean, out double[] batchVariance)
    {
        CheckBatchNorm("batch_norm", x, weight, bias, epsilon);
        return BatchNormalization.Apply(x, weight, bias, epsilon, relu, out batchMean, out batchVariance);
    }

    /// <summary>
    /// Layer normalization (Ba, Kiros &amp; Hinton, 2016) with PyTorch's semantics: each sample is normalized over its last
    /// axes, those of <paramref name="normalizedShape"/>, as (x − μ)/√(σ² + ε) with the biased variance, then scaled by
    /// <paramref name="weight"/> and shifted by <paramref name="bias"/> (elementwise, shaped like the normalized axes).
    /// Written with primitives, so it is differentiable to any order with the statistics' dependence on x included.
    /// </summary>
    /// <param name="x">The input [..., *normalizedShape].</param>
    /// <param name="normalizedShape">The trailing dimensions normalized over (at least one).</param>
    /// <param name="weight">γ, shaped <paramref name="normalizedShape"/>; none when null.</param>
    /// <param name="bias">β, shaped <paramref name="normalizedShape"/>; none when null.</param>
    /// <param name="epsilon">ε &gt; 0, added to the variance.</param>
    public static Tensor LayerNorm(Tensor x, int[] normalizedShape, Tensor? weight = null, Tensor? bias = null, double epsilon = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(normalizedShape);
        int k = normalizedShape.Length;
        if (k == 0 || k > x.Rank || !ShapeHelper.SameShape(x.ShapeArray.AsSpan(x.Rank - k), normalizedShape))
        {
            throw new ArgumentException($"layer_norm: input {Shapes.Format(x.ShapeArray)} does not end with the normalized shape "
                + $"{Shapes.Format(normalizedShape)}.", nameof(normalizedShape));
        }

        foreach (var (parameter, name) in new[] { (weight, nameof(weight)), (bias, nameof(bias)) })
        {
            if (parameter is not null && (!ShapeHelper.SameShape(parameter.ShapeArray, normalizedShape) || parameter.DType != x.DType))
            {
                throw new ArgumentException($"layer_norm: {name} {Shapes.Format(parameter.ShapeArray)} {parameter.DType} must have the "
                    + $"normalized shape {Shapes.Format(normalizedShape)} and the dtype of input {Shapes.Format(x.ShapeArray)} {x.DType}.", name);
            }
        }

        if (!(epsilon > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "layer_norm: epsilon must be positive.");
        }

        int[] axes = [.. Enumerable.Range(x.Rank - k, k)];
        var centered = x - x.Mean(axes, keepDims: true);
        var normalized = centered * ((centered * centered).Mean(axes, keepDims: true) + epsilon).Pow(-0.5);
        var scaled = weight is null ? normalized : normalized * weight;
        return bias is null ? scaled : scaled + bias;
    }

    /// <summary>
    /// maxpool(relu(batch_norm(x))) as one op, the tail of a few-shot conv block: batch norm with the statistics of this batch
    /// (see <see cref="BatchNorm(Tensor, Tensor, Tensor, double, bool)"/>), ReLU, then 2-d max pooling (see
    /// <see cref="MaxPool2d"/>), without keeping the full-size normalized tensor for the backward pass. Differentiable to any order.
    /// </summary>
    public static Tensor BatchNormReluMaxPool2d(Tensor x, Tensor weight, Tensor bias, int kernelSize, int? stride = null, int padding = 0,
        double epsilon = 1e-5)
        => BatchNormReluMaxPool2d(x, weight, bias, kernelSize, stride, padding, epsilon, out _, out _);

    /// <summary>
    /// <see cref="BatchNormReluMaxPool2d(Tensor, Tensor, Tensor, int, int?, int, double)"/>, also giving the batch statistics
    /// (per channel, the mean and the biased variance) for running averages.
    /// </summary>
    public static Tensor BatchNormReluMaxPool2d(Tensor x, Tensor weight, Tensor bias, int kernelSize, int? stride, int padding, double epsilon,
        out double[] batchMean, out double[] batchVariance)
    {
        CheckBatchNorm("batch_norm_relu_max_pool2d", x, weight, bias, epsilon);
        var window = PoolWindow("batch_norm_relu_max_pool2d", x, kernelSize, stride ?? kernelSize, padding);
        return BatchNormReluPool.Apply(x, weight, bias, epsilon, window, out batchMean, out batchVariance);
    }

    /// <summary>
    /// 2-d max pooling over x [N, C, H, W]; the stride defaults to the kernel size; padding reads −∞. The gradient of each
    /// window goes to its maximum (the first one on ties, as in PyTorch).
    /// </summary>
    public static Tensor MaxPool2d(Tensor x, int kernelSize, int? stride = null, int padding = 0)
        => Pool(x, kernelSize, stride ?? kernelSize, padding, max: true);

    /// <summary>2-d average pooling over x [N, C, H, W]; padding counts as zeros in the average (PyTorch's default).</summary>
    public static Tensor AvgPool2d(Tensor x, int kernelSize, int? stride = null, int padding = 0)
        => Pool(x, kernelSize, stride ?? kernelSize, padding, max: false);

    private static void CheckBatchNorm(string op, Tensor x, Tensor weight, Tensor bias, double epsilon)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(bias);
        if (x.Rank < 2)
        {
            throw new ArgumentException($"{op}: expected input [N, C, ...], got {Shapes.Format(x.ShapeArray)}.", nameof(x));
        }

        int channels = x.ShapeArray[1];
        if (weight.Rank != 1 || weight.ShapeArray[0] != channels || bias.Rank != 1 || bias.ShapeArray[0] != channels)
        {
            throw new ArgumentException($"{op}: weight {Shapes.Format(weight.ShapeArray)} and bias {Shapes.Format(bias.ShapeArray)} "
                + $"must both be [{channels}] for input {Shapes.Format(x.ShapeArray)}.", nameof(weight));
        }

        CheckDTypes(op, x, weight, bias);
        if (!(epsilon > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, $"{op}: epsilon must be positive.");
        }

        if (channels == 0 || x.Count / channels < 2)
        {
            throw new ArgumentException($"{op}: batch statistics need more than one value per channel, got input {Shapes.Format(x.ShapeArray)}.",
                nameof(x));
        }
    }

    private static Window PoolWindow(string op, Tensor x, int kernel, int stride, int padding)
    {
        if (padding * 2 > kernel)
        {
            throw new ArgumentException($"{op}: padding {padding} must be at most half the kernel size {kernel}.", nameof(padding));
        }

        var window = new Window(kernel, kernel, stride, stride, padding, padding);
        if (x.Rank != 4 || kernel <= 0 || stride <= 0 || padding < 0 || x.ShapeArray[2] + (2 * padding) < kernel || x.ShapeArray[3] + (2 * padding) < kernel)
        {
            // Unfold names the problem.
            Unfold.Apply(x, window, double.NegativeInfinity, op);
        }

        return window;
    }

    private static void CheckDTypes(string op, Tensor x, Tensor weight, Tensor? bias)
    {
        if (weight.DType != x.DType || (bias is not null && bias.DType != x.DType))
        {
            throw new ArgumentException($"{op}: dtypes differ (input {Shapes.Format(x.ShapeArray)} {x.DType}, weight "
                + $"{Shapes.Format(weight.ShapeArray)} "
                    + $"{weight.DType}{(bias is null ? string.Empty : $", bias {Shapes.Format(bias.ShapeArray)} {bias.DType}")}); convert "
                        + $"with AsType first.", nameof(weight));
        }
    }

    private static Tensor Pool(Tensor x, int kernel, int stride, int padding, bool max)
    {
        ArgumentNullException.ThrowIfNull(x);
        string op = max ? "max_pool2d" : "avg_pool2d";
        var window = PoolWindow(op, x, kernel, stride, padding);
        if (max)
        {
            return MaxPooling.Apply(x, window);
        }

        var columns = Unfold.Apply(x, window, 0, op);
        var s = x.ShapeArray;
        int oh = Kernels.Im2Col.OutputSize(s[2], kernel, stride, padding);
        int ow = Kernels.Im2Col.OutputSize(s[3], kernel, stride, padding);
        return columns.Reshape(s[0], s[1], kernel * kernel, oh * ow).Mean(2).Reshape(s[0], s[1], oh, ow);
    }
}
