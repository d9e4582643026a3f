using MetaLearn.Tensors.Internal;
using MetaLearn.Tensors.Ops;

namespace MetaLearn.Tensors;

/// <summary>
/// Composite differentiable functions built only from the primitives (so they need no backward code of their own
/// and are differentiable to any order): softmax family, linear, convolution and pooling.
/// </summary>
public static class Functional
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
    internal static Tensor LinearRelu(Tensor x, Tensor weight, Tensor? bias = null) => Linear(x, weight, bias, relu: true);

    private static Tensor Linear(Tensor x, Tensor weight, Tensor? bias, bool relu)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        bool batched = weight.Rank == 3;
        if ((weight.Rank != 2 && !batched) || x.Rank < 1 || x.ShapeArray[^1] != weight.ShapeArray[^1]
            || (batched && (x.Rank != 3 || x.ShapeArray[0] != weight.ShapeArray[0])))
        {
            throw new ArgumentException($"linear: input {ShapeHelper.Format(x.ShapeArray)} does not match weight {ShapeHelper.Format(weight.ShapeArray)} (expected [..., in] with [out, in], or [T, N, in] with [T, out, in]).", nameof(x));
        }

        CheckDTypes("linear", x, weight, bias);
        var input = x.Rank == 1 ? x.Reshape(1, -1) : x;
        var y = FusedLinear.Apply(input, weight, bias, relu);
        return x.Rank == 1 ? y.Reshape(-1) : y;
    }

    /// <summary>
    /// 2-d convolution (cross-correlation, as in every deep-learning library) of x [N, C, H, W] with weight
    /// [O, C, kh, kw] and optional bias [O], by im2col and one batched matrix product.
    /// </summary>
    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Rank != 4 || x.Rank != 4 || x.ShapeArray[1] != weight.ShapeArray[1])
        {
            throw new ArgumentException($"conv2d: input {ShapeHelper.Format(x.ShapeArray)} and weight {ShapeHelper.Format(weight.ShapeArray)} do not match (expected [N, C, H, W] and [O, C, kh, kw]).", nameof(x));
        }

        CheckDTypes("conv2d", x, weight, bias);

        var ws = weight.ShapeArray;
        var window = new Window(ws[2], ws[3], stride, stride, padding, padding);
        var columns = Unfold.Apply(x, window, 0, "conv2d");
        int n = x.ShapeArray[0];
        int oh = Kernels.Im2Col.OutputSize(x.ShapeArray[2], ws[2], stride, padding);
        int ow = Kernels.Im2Col.OutputSize(x.ShapeArray[3], ws[3], stride, padding);
        var y = MatMul.Apply(weight.Reshape(ws[0], -1), columns).Reshape(n, ws[0], oh, ow);
        if (bias is not null)
        {
            if (bias.Rank != 1 || bias.ShapeArray[0] != ws[0])
            {
                throw new ArgumentException($"conv2d: bias {ShapeHelper.Format(bias.ShapeArray)} does not match {ws[0]} output channels.", nameof(bias));
            }

            y += bias.Reshape(1, ws[0], 1, 1);
        }

        return y;
    }

    /// <summary>2-d max pooling over x [N, C, H, W]; the stride defaults to the kernel size; padding reads −∞.</summary>
    public static Tensor MaxPool2d(Tensor x, int kernelSize, int? stride = null, int padding = 0)
        => Pool(x, kernelSize, stride ?? kernelSize, padding, max: true);

    /// <summary>2-d average pooling over x [N, C, H, W]; padding counts as zeros in the average (PyTorch's default).</summary>
    public static Tensor AvgPool2d(Tensor x, int kernelSize, int? stride = null, int padding = 0)
        => Pool(x, kernelSize, stride ?? kernelSize, padding, max: false);

    private static void CheckDTypes(string op, Tensor x, Tensor weight, Tensor? bias)
    {
        if (weight.DType != x.DType || (bias is not null && bias.DType != x.DType))
        {
            throw new ArgumentException($"{op}: dtypes differ (input {ShapeHelper.Format(x.ShapeArray)} {x.DType}, weight {ShapeHelper.Format(weight.ShapeArray)} {weight.DType}{(bias is null ? string.Empty : $", bias {ShapeHelper.Format(bias.ShapeArray)} {bias.DType}")}); convert with AsType first.", nameof(weight));
        }
    }

    private static Tensor Pool(Tensor x, int kernel, int stride, int padding, bool max)
    {
        ArgumentNullException.ThrowIfNull(x);
        string op = max ? "max_pool2d" : "avg_pool2d";
        if (padding * 2 > kernel)
        {
            throw new ArgumentException($"{op}: padding {padding} must be at most half the kernel size {kernel}.", nameof(padding));
        }

        var window = new Window(kernel, kernel, stride, stride, padding, padding);
        var columns = Unfold.Apply(x, window, max ? double.NegativeInfinity : 0, op);
        var s = x.ShapeArray;
        int oh = Kernels.Im2Col.OutputSize(s[2], kernel, stride, padding);
        int ow = Kernels.Im2Col.OutputSize(s[3], kernel, stride, padding);
        var windows = columns.Reshape(s[0], s[1], kernel * kernel, oh * ow);
        var pooled = max ? windows.Max(2) : windows.Mean(2);
        return pooled.Reshape(s[0], s[1], oh, ow);
    }
}
