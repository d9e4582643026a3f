using System.Numerics;
using System.Runtime.Intrinsics;
using MetaLearn.Tensors.Autodiff;

namespace MetaLearn.Tensors.Ops;

/// <summary>
/// The vector-Jacobian product of leaky ReLU, g ⊙ (x &gt; 0 ? 1 : slope), fused into one pass. It is linear in g with a
/// piecewise-constant factor, so its own derivative is itself (with respect to g) and zero (with respect to x).
/// </summary>
internal sealed class ReluGradient(Tensor gradient, Tensor input, double slope) : Node("relu_backward", [gradient])
{
    public static Tensor Apply(Tensor gradient, Tensor input, double slope)
    {
        var y = Tensor.EmptyLike(gradient);
        if (gradient.DType == DType.Float32)
        {
            Kernel<float>(gradient.F32, input.F32, y.F32, (float)slope);
        }
        else
        {
            Kernel<double>(gradient.F64, input.F64, y.F64, slope);
        }

        return GradMode.ShouldRecord(gradient) ? y.WithNode(new ReluGradient(gradient, input, slope)) : y;
    }

    public override void Backward(Tensor output, Tensor g, Tensor?[] grads) => grads[0] = Apply(g, input, slope);

    private static void Kernel<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, Span<T> y, T slope)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var scale = Vector512.Create(slope);
            for (; i + Vector512<T>.Count <= y.Length; i += Vector512<T>.Count)
            {
                var gv = Vector512.Create(g.Slice(i, Vector512<T>.Count));
                var positive = Vector512.GreaterThan(Vector512.Create(x.Slice(i, Vector512<T>.Count)), Vector512<T>.Zero);
                Vector512.ConditionalSelect(positive, gv, gv * scale).CopyTo(y.Slice(i));
            }
        }

        for (; i < y.Length; i++)
        {
            y[i] = x[i] > T.Zero ? g[i] : g[i] * slope;
        }
    }
}
