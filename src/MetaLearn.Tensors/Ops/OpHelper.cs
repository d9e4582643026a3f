using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Internal;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>The argument checks and forward helpers shared by the primitive operations.</summary>
internal static class OpHelper
{
    public static void SameDType(string op, Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.DType != b.DType)
        {
            throw new ArgumentException($"{op}: dtypes differ ({Shapes.Format(a.ShapeArray)} {a.DType} and "
                + $"{Shapes.Format(b.ShapeArray)} {b.DType}); convert one with AsType first.");
        }
    }

    /// <summary>Runs the broadcasting kernel after checking dtypes and shapes.</summary>
    public static Tensor Binary<TOp>(Tensor a, Tensor b)
        where TOp : struct, IBinaryOp
    {
        string op = TOp.Name;
        SameDType(op, a, b);
        var result = Tensor.Empty(ShapeHelper.Broadcast(op, a.ShapeArray, b.ShapeArray), a.DType);
        Broadcasting.Binary<TOp>(a, b, result);
        return result;
    }

    public static Tensor Unary<TKernel>(Tensor x, double parameter)
        where TKernel : struct, IUnaryKernel
    {
        ArgumentNullException.ThrowIfNull(x);
        var result = Tensor.EmptyLike(x);
        Kernels.Unary.Apply<TKernel>(x, result, parameter);
        return result;
    }

    /// <summary>A constant (never recorded) elementwise function of <paramref name="x"/>, used for masks in backward rules.</summary>
    public static Tensor Constant<TMask>(Tensor x)
        where TMask : struct, IUnaryKernel => Unary<TMask>(x, 0);
}
