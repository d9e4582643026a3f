using System.Numerics;
using System.Numerics.Tensors;

namespace MetaLearn.Tensors.Ops;

/// <summary>
/// The differentiable elementwise binary primitives, one struct each: name, forward in the four span forms the broadcasting
/// walk uses, and vector-Jacobian product (written with ops, so it is differentiable again).
/// <see cref="Elementwise.Binary{TOp}"/> runs and records any of them; broadcasting is undone by the engine, not here.
/// </summary>
/// <remarks>
/// In the rules a and b are the inputs and g the output's gradient. Which input a maximum or minimum chose is piecewise
/// constant, so it is computed as a constant mask whose derivative is 0 in every order.
/// </remarks>
internal static class BinaryOps
{
    /// <summary>a + b; the derivatives are 1 and 1.</summary>
    public readonly struct Add : IBinaryOp
    {
        public static string Name => "add";

        public static T Scalar<T>(T x, T y)
            where T : unmanaged, IFloatingPointIeee754<T> => x + y;

        public static void VectorVector<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> dst)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Add(x, y, dst);

        public static void VectorScalar<T>(ReadOnlySpan<T> x, T y, Span<T> dst)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Add(x, y, dst);

        public static void ScalarVector<T>(T x, ReadOnlySpan<T> y, Span<T> dst)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Add(y, x, dst);

        public static (Tensor? A, Tensor? B) Backward(Tensor a, Tensor b, Tensor g, bool needA, bool needB) => (g, g);
    }

    /// <summary>a − b; the derivatives are 1 and −1.</summary>
    public readonly struct Subtract : IBinaryOp
    {
        public static string Name => "sub";

        public static T Scalar<T>(T x, T y)
            where T : unmanaged, IFloatingPointIeee754<T> => x - y;

        public static void VectorVector<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> dst)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Subtract(x, y, dst);

        public static void VectorScalar<T>(ReadOnlySpan<T> x, T y, Span<T> dst)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Subtract(x, y, dst);

        public static void ScalarVector<T>(T x, ReadOnlySpan<T> y, Span<T> dst)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Subtract(x, y, dst);

        public static (Tensor? A, Tensor? B) Backward(Tensor a, Tensor b, Tensor g, bool needA, bool needB)
            => (g, needB ? Elementwise.MultiplyScalar(g, -1) : null);
    }

    /// <summary>a · b; the derivatives are b and a.</summary>
    public readonly struct Multiply : IBinaryOp
    {
        public static string Name => "mul";

        public static T Scalar<T>(T x, T y)
            where T : unmanaged, IFloatingPointIeee754<T> => x * y;

        public static void VectorVector<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> dst)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Multiply(x, y, dst);

        public static void VectorScalar<T>(ReadOnlySpan<T> x, T y, Span<T> dst)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Multiply(x, y, dst);

        public static void ScalarVector<T>(T x, ReadOnlySpan<T> y, Span<T> dst)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Multiply(y, x, dst);

        public static (Tensor? A, Tensor? B) Backward(Tensor a, Tensor b, Tensor g, bool needA, bool needB)
            => (needA ? Elementwise.Multiply(g, b) : null, needB ? Elementwise.Multiply(g, a) : null);
    }

    /// <summary>a / b; the derivatives are 1/b and −a/b², the latter written −(g/b)·(a/b) so it stays a function of the inputs.</summary>
    public readonly struct Divide : IBinaryOp
    {
        public static string Name => "div";

        public static T Scalar<T>(T x, T y)
            where T : unmanaged, IFloatingPointIeee754<T> => x / y;

        public static void VectorVector<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> dst)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Divide(x, y, dst);

        public static void VectorScalar<T>(ReadOnlySpan<T> x, T y, Span<T> dst)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Divide(x, y, dst);

        public static void ScalarVector<T>(T x, ReadOnlySpan<T> y, Span<T> dst)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Divide(x, y, dst);

        public static (Tensor? A, Tensor? B) Backward(Tensor a, Tensor b, Tensor g, bool needA, bool needB)
        {
            var gOverB = Elementwise.Divide(g, b);
            return (needA ? gOverB : null, needB ? Elementwise.MultiplyScalar(Elementwise.Multiply(gOverB, Elementwise.Divide(a, b)), -1) : null);
        }
    }

    /// <summary>max(a, b); g goes to a where a ≥ b (ties included), to b elsewhere.</summary>
    public readonly struct Maximum : IBinaryOp
    {
        public static string Name => "maximum";

        public static T Scalar<T>(T x, T y)
            where T : unmanaged, IFloatingPointIeee754<T> => T.Max(x, y);

        public static void VectorVector<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> dst)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Max(x, y, dst);

        public static void VectorScalar<T>(ReadOnlySpan<T> x, T y, Span<T> dst)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Max(x, y, dst);

        public static void ScalarVector<T>(T x, ReadOnlySpan<T> y, Span<T> dst)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Max(y, x, dst);

        public static (Tensor? A, Tensor? B) Backward(Tensor a, Tensor b, Tensor g, bool needA, bool needB) => Chosen(g, a, b, needA, needB);
    }

    /// <summary>min(a, b); g goes to a where a ≤ b (ties included), to b elsewhere.</summary>
    public readonly struct Minimum : IBinaryOp
    {
        public static string Name => "minimum";

        public static T Scalar<T>(T x, T y)
            where T : unmanaged, IFloatingPointIeee754<T> => T.Min(x, y);

        public static void VectorVector<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> dst)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Min(x, y, dst);

        public static void VectorScalar<T>(ReadOnlySpan<T> x, T y, Span<T> dst)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Min(x, y, dst);

        public static void ScalarVector<T>(T x, ReadOnlySpan<T> y, Span<T> dst)
            where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Min(y, x, dst);

        public static (Tensor? A, Tensor? B) Backward(Tensor a, Tensor b, Tensor g, bool needA, bool needB) => Chosen(g, b, a, needA, needB);
    }

    /// <summary>
    /// g routed to a where <paramref name="ahead"/> − <paramref name="behind"/> (how far a wins: a − b for a maximum, b − a for a
    /// minimum) is ≥ 0, ties included, and to b elsewhere.
    /// </summary>
    private static (Tensor?, Tensor?) Chosen(Tensor g, Tensor ahead, Tensor behind, bool needA, bool needB)
    {
        Tensor chosenA, chosenB;
        using (Tensor.NoGrad())
        {
            chosenA = OpHelper.Constant<ConstantMasks.NonNegative>(Elementwise.Subtract(ahead, behind));
            chosenB = Elementwise.AddScalar(Elementwise.MultiplyScalar(chosenA, -1), 1);
        }

        return (needA ? Elementwise.Multiply(g, chosenA) : null, needB ? Elementwise.Multiply(g, chosenB) : null);
    }
}
