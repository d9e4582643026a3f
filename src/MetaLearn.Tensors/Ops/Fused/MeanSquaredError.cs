using System.Numerics.Tensors;
using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Internal;

namespace MetaLearn.Tensors.Ops;

/// <summary>
/// mean((p − t)²) over all elements of two tensors of one shape, in one node instead of a difference, a square, a sum and a
/// scaling (four nodes, and a full-size temporary each for the first two).
/// </summary>
/// <remarks>
/// Forward and backward round exactly as the composition <c>(p - t).Square().Mean()</c> does: the squares are summed by
/// the same SIMD sum and scaled by the same single-precision 1/N, and the gradient is (g/N)·(2(p − t)) with the same
/// roundings. The backward rule is written with <see cref="Elementwise.Subtract"/>, <see cref="Elementwise.MultiplyScalar"/> and
/// <see cref="Elementwise.Multiply"/>, so it is differentiable to any order (MAML differentiates it twice).
/// </remarks>
internal sealed class MeanSquaredError(Tensor prediction, Tensor target) : Node("mse", [prediction, target])
{
    public static Tensor Apply(Tensor prediction, Tensor target)
    {
        OpHelper.SameDType("mse", prediction, target);
        if (!ShapeHelper.SameShape(prediction.ShapeArray, target.ShapeArray) || prediction.Count == 0)
        {
            throw new ArgumentException($"mse: prediction {Shapes.Format(prediction.ShapeArray)} and target "
                + $"{Shapes.Format(target.ShapeArray)} must have one, non-empty shape.");
        }

        var y = Tensor.Empty([], prediction.DType);
        double scale = 1.0 / prediction.Count;
        if (prediction.DType == DType.Float32)
        {
            y.F32[0] = Forward(prediction.F32, target.F32, (float)scale);
        }
        else
        {
            y.F64[0] = Forward(prediction.F64, target.F64, scale);
        }

        return GradMode.ShouldRecord(prediction, target) ? y.WithNode(new MeanSquaredError(prediction, target)) : y;
    }

    public override void Backward(Tensor output, Tensor g, Tensor?[] grads)
    {
        // d/dp = (g·(1/N))·(2(p − t)), d/dt = −d/dp: the mean's scaling, the sum's broadcast and the square's rule.
        var p = Inputs[0];
        var t = Inputs[1];
        var perElement = Elementwise.MultiplyScalar(g, 1.0 / p.Count);
        var gradient = Elementwise.Multiply(perElement, Elementwise.MultiplyScalar(Elementwise.Subtract(p, t), 2));
        grads[0] = Needs(0) ? gradient : null;
        grads[1] = Needs(1) ? Elementwise.MultiplyScalar(gradient, -1) : null;
    }

    private static T Forward<T>(ReadOnlySpan<T> p, ReadOnlySpan<T> t, T scale)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        T[]? rented = null;
        Span<T> squares = p.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>() <= 4096
            ? stackalloc T[p.Length]
            : (rented = System.Buffers.ArrayPool<T>.Shared.Rent(p.Length)).AsSpan(0, p.Length);
        try
        {
            TensorPrimitives.Subtract(p, t, squares);
            TensorPrimitives.Multiply(squares, squares, squares);

            // The sum reduction starts from zero, then the mean scales it.
            return (T.Zero + TensorPrimitives.Sum(squares)) * scale;
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<T>.Shared.Return(rented);
            }
        }
    }
}
