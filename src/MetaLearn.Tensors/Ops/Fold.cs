using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>col2im, the adjoint of <see cref="Unfold"/>: sums every column entry back into the pixel it was read from.</summary>
internal sealed class Fold(Tensor columns, Window window) : Node("fold", [columns])
{
    public static Tensor Apply(Tensor columns, int[] imageShape, Window window)
    {
        var y = Tensor.Empty((int[])imageShape.Clone(), columns.DType);
        var s = imageShape;
        if (columns.DType == DType.Float32)
        {
            Im2Col.Backward<float>(columns.F32, y.F32, s[0], s[1], s[2], s[3], window.KernelH, window.KernelW, window.StrideH, window.StrideW,
                window.PadH, window.PadW, window.DilationH, window.DilationW);
        }
        else
        {
            Im2Col.Backward<double>(columns.F64, y.F64, s[0], s[1], s[2], s[3], window.KernelH, window.KernelW, window.StrideH, window.StrideW,
                window.PadH, window.PadW, window.DilationH, window.DilationW);
        }

        return GradMode.ShouldRecord(columns) ? y.WithNode(new Fold(columns, window)) : y;
    }

    public override void Backward(Tensor output, Tensor g, Tensor?[] grads) => grads[0] = Unfold.Apply(g, window);
}
