using System.Numerics;
using System.Numerics.Tensors;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>
/// The differentiable elementwise unary primitives, one struct each: name, forward over spans, and vector-Jacobian product
/// (written with ops, so it is differentiable again). <see cref="Elementwise.Unary{TOp}"/> runs and records any of them.
/// </summary>
/// <remarks>
/// In the rules x is the input, y the output, g the output's gradient and c the op's constant. Masks of piecewise-constant
/// derivatives (ReLU's slope, |x|'s sign) are computed as constants, so their derivative is 0 in every order.
/// </remarks>
internal static class UnaryOps
{
    /// <summary>eˣ; the derivative is y.</summary>
    public readonly struct Exp : IUnaryOp
    {
        public static string Name => "exp";

        public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, T c)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Exp(x, y);

        public static Tensor? Backward(Tensor x, Tensor y, Tensor g, double c) => Elementwise.Multiply(g, y);
    }

    /// <summary>ln x; the derivative is 1/x.</summary>
    public readonly struct Log : IUnaryOp
    {
        public static string Name => "log";

        public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, T c)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Log(x, y);

        public static Tensor? Backward(Tensor x, Tensor y, Tensor g, double c) => Elementwise.Divide(g, x);
    }

    /// <summary>√x; the derivative is 1/(2y).</summary>
    public readonly struct Sqrt : IUnaryOp
    {
        public static string Name => "sqrt";

        public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, T c)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Sqrt(x, y);

        public static Tensor? Backward(Tensor x, Tensor y, Tensor g, double c) => Elementwise.Divide(Elementwise.MultiplyScalar(g, 0.5), y);
    }

    /// <summary>|x|; the derivative is sign(x), a constant mask (0 at 0).</summary>
    public readonly struct Abs : IUnaryOp
    {
        public static string Name => "abs";

        public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, T c)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Abs(x, y);

        public static Tensor? Backward(Tensor x, Tensor y, Tensor g, double c) => Elementwise.Multiply(g, OpHelper.Constant<ConstantMasks.Sign>(x));
    }

    /// <summary>tanh x; the derivative is 1 − y².</summary>
    public readonly struct Tanh : IUnaryOp
    {
        public static string Name => "tanh";

        public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, T c)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Tanh(x, y);

        public static Tensor? Backward(Tensor x, Tensor y, Tensor g, double c)
            => Elementwise.Multiply(g, Elementwise.AddScalar(Elementwise.MultiplyScalar(Elementwise.Multiply(y, y), -1), 1));
    }

    /// <summary>1/(1 + e⁻ˣ); the derivative is y(1 − y).</summary>
    public readonly struct Sigmoid : IUnaryOp
    {
        public static string Name => "sigmoid";

        public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, T c)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Sigmoid(x, y);

        public static Tensor? Backward(Tensor x, Tensor y, Tensor g, double c)
            => Elementwise.Multiply(g, Elementwise.Multiply(y, Elementwise.AddScalar(Elementwise.MultiplyScalar(y, -1), 1)));
    }

    /// <summary>max(x, 0); the derivative is the constant mask x &gt; 0, applied in one fused pass.</summary>
    public readonly struct Relu : IUnaryOp
    {
        public static string Name => "relu";

        public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, T c)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Max(x, T.Zero, y);

        public static Tensor? Backward(Tensor x, Tensor y, Tensor g, double c) => ReluGradient.Apply(g, x, 0);
    }

    /// <summary>x where x &gt; 0, else c·x; the derivative is 1 or c, a constant mask applied in one fused pass.</summary>
    public readonly struct LeakyRelu : IUnaryOp
    {
        public static string Name => "leaky_relu";

        public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, T c)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < x.Length; i++)
            {
                y[i] = x[i] > T.Zero ? x[i] : c * x[i];
            }
        }

        public static Tensor? Backward(Tensor x, Tensor y, Tensor g, double c) => ReluGradient.Apply(g, x, c);
    }

    /// <summary>x + c; the derivative is 1.</summary>
    public readonly struct AddScalar : IUnaryOp
    {
        public static string Name => "add_scalar";

        public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, T c)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Add(x, c, y);

        public static Tensor? Backward(Tensor x, Tensor y, Tensor g, double c) => g;
    }

    /// <summary>x · c; the derivative is c.</summary>
    public readonly struct MultiplyScalar : IUnaryOp
    {
        public static string Name => "mul_scalar";

        public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, T c)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Multiply(x, c, y);

        public static Tensor? Backward(Tensor x, Tensor y, Tensor g, double c) => Elementwise.MultiplyScalar(g, c);
    }

    /// <summary>xᶜ; the derivative is c·xᶜ⁻¹ (none for c = 0, a constant).</summary>
    public readonly struct PowScalar : IUnaryOp
    {
        public static string Name => "pow_scalar";

        public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, T c)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            // Exact, cheaper special cases for the exponents that matter (squares in losses, reciprocals, roots).
            if (c == T.CreateTruncating(2))
            {
                TensorPrimitives.Multiply(x, x, y);
            }
            else if (c == T.One)
            {
                x.CopyTo(y);
            }
            else if (c == -T.One)
            {
                TensorPrimitives.Divide(T.One, x, y);
            }
            else if (c == T.Zero)
            {
                y.Fill(T.One);
            }
            else
            {
                TensorPrimitives.Pow(x, c, y);
            }
        }

        public static Tensor? Backward(Tensor x, Tensor y, Tensor g, double c)
            => c == 0 ? null : Elementwise.Multiply(g, Elementwise.MultiplyScalar(Elementwise.Power(x, c - 1), c));
    }
}
