using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Internal;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>
/// im2col: [N, C, H, W] → [N, C·kh·kw, OH·OW], each column one window position. Convolution and pooling are built
/// on it; its adjoint is <see cref="Fold"/> (col2im), and Fold's adjoint is this, so every order is covered.
/// </summary>
internal sealed class Unfold(Tensor x, Window window) : Node("unfold", [x])
{
    public static Tensor Apply(Tensor x, Window window, double padValue = 0, string op = "unfold")
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4)
        {
            throw new ArgumentException($"{op}: expected input [batch, channels, height, width], got {Shapes.Format(x.ShapeArray)}.", nameof(x));
        }

        if (window.KernelH <= 0 || window.KernelW <= 0 || window.StrideH <= 0 || window.StrideW <= 0 || window.PadH < 0 || window.PadW < 0
            || window.DilationH <= 0 || window.DilationW <= 0)
        {
            throw new ArgumentException($"{op}: kernel and stride must be positive and padding non-negative, got {window}.", nameof(window));
        }

        var s = x.ShapeArray;
        int oh = Im2Col.OutputSize(s[2], window.ExtentH, window.StrideH, window.PadH);
        int ow = Im2Col.OutputSize(s[3], window.ExtentW, window.StrideW, window.PadW);
        if (s[2] + (2 * window.PadH) < window.ExtentH || s[3] + (2 * window.PadW) < window.ExtentW)
        {
            throw new ArgumentException($"{op}: the {window.KernelH}x{window.KernelW} window does not fit the padded input "
                + $"{Shapes.Format(s)} (padding {window.PadH}, {window.PadW}).", nameof(x));
        }

        var y = Tensor.Empty([s[0], s[1] * window.KernelH * window.KernelW, oh * ow], x.DType);
        if (x.DType == DType.Float32)
        {
            Im2Col.Forward<float>(x.F32, y.F32, s[0], s[1], s[2], s[3], window.KernelH, window.KernelW, window.StrideH, window.StrideW, window.PadH,
                window.PadW, (float)padValue, window.DilationH, window.DilationW);
        }
        else
        {
            Im2Col.Forward<double>(x.F64, y.F64, s[0], s[1], s[2], s[3], window.KernelH, window.KernelW, window.StrideH, window.StrideW, window.PadH,
                window.PadW, padValue, window.DilationH, window.DilationW);
        }

        return GradMode.ShouldRecord(x) ? y.WithNode(new Unfold(x, window)) : y;
    }

    public override void Backward(Tensor output, Tensor g, Tensor?[] grads) => grads[0] = Fold.Apply(g, Inputs[0].ShapeArray, window);
}
