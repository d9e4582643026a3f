using System.Numerics;
using System.Numerics.Tensors;

namespace MetaLearn.Tensors.Kernels;

/// <summary>Elementwise unary functions over SIMD span primitives.</summary>
internal static class Unary
{
    public static void Apply(UnaryKind kind, Tensor input, Tensor result, double parameter)
    {
        if (input.DType == DType.Float32)
        {
            Apply<float>(kind, input.F32, result.F32, (float)parameter);
        }
        else
        {
            Apply<double>(kind, input.F64, result.F64, parameter);
        }
    }

    private static void Apply<T>(UnaryKind kind, ReadOnlySpan<T> x, Span<T> y, T p)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (kind)
        {
            case UnaryKind.Exp: TensorPrimitives.Exp(x, y); break;
            case UnaryKind.Log: TensorPrimitives.Log(x, y); break;
            case UnaryKind.Sqrt: TensorPrimitives.Sqrt(x, y); break;
            case UnaryKind.Abs: TensorPrimitives.Abs(x, y); break;
            case UnaryKind.Tanh: TensorPrimitives.Tanh(x, y); break;
            case UnaryKind.Sigmoid: TensorPrimitives.Sigmoid(x, y); break;
            case UnaryKind.Relu: TensorPrimitives.Max(x, T.Zero, y); break;
            case UnaryKind.AddScalar: TensorPrimitives.Add(x, p, y); break;
            case UnaryKind.MultiplyScalar: TensorPrimitives.Multiply(x, p, y); break;
            case UnaryKind.PowScalar: PowScalar(x, p, y); break;
            case UnaryKind.LeakyRelu:
                for (int i = 0; i < x.Length; i++)
                {
                    y[i] = x[i] > T.Zero ? x[i] : p * x[i];
                }

                break;
            case UnaryKind.Sign:
                for (int i = 0; i < x.Length; i++)
                {
                    y[i] = x[i] > T.Zero ? T.One : x[i] < T.Zero ? -T.One : T.Zero;
                }

                break;
            case UnaryKind.Positive:
                for (int i = 0; i < x.Length; i++)
                {
                    y[i] = x[i] > T.Zero ? T.One : T.Zero;
                }

                break;
            case UnaryKind.NonNegative:
                for (int i = 0; i < x.Length; i++)
                {
                    y[i] = x[i] >= T.Zero ? T.One : T.Zero;
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown unary kernel.");
        }
    }

    private static void PowScalar<T>(ReadOnlySpan<T> x, T p, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Exact, cheaper special cases for the exponents that matter (squares in losses, reciprocals, roots).
        if (p == T.CreateTruncating(2))
        {
            TensorPrimitives.Multiply(x, x, y);
        }
        else if (p == T.One)
        {
            x.CopyTo(y);
        }
        else if (p == -T.One)
        {
            TensorPrimitives.Divide(T.One, x, y);
        }
        else if (p == T.Zero)
        {
            y.Fill(T.One);
        }
        else
        {
            TensorPrimitives.Pow(x, p, y);
        }
    }
}
