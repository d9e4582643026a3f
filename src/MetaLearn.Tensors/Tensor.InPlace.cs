using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using MetaLearn.Tensors.Internal;

namespace MetaLearn.Tensors;

/// <summary>In-place writes and raw element access, for optimizers, accumulators and checkpoint loaders.</summary>
/// <remarks>
/// These write outside the autodiff graph: no node is recorded, and a recorded operation that saved this tensor for its
/// backward pass would see the new values. Use them on parameters between steps, on gradient accumulators and on tensors
/// of your own, never on a tensor a live graph still needs.
/// </remarks>
public sealed partial class Tensor
{
    /// <summary>The elements as a writable span of <typeparamref name="T"/> (<see cref="float"/> for float32, <see cref="double"/> for float64).</summary>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> does not match <see cref="DType"/>.</exception>
    public Span<T> AsSpan<T>()
        where T : unmanaged
    {
        if (!(DType == DType.Float32 ? typeof(T) == typeof(float) : typeof(T) == typeof(double)))
        {
            throw new InvalidOperationException($"AsSpan<{typeof(T).Name}>: the tensor {Shapes.Format(_shape)} holds {DType} elements.");
        }

        return new Span<T>(Unsafe.As<T[]>(_storage), 0, Count);
    }

    /// <summary>Sets every element to <paramref name="value"/> (rounded to float32 for a float32 tensor).</summary>
    public void Fill(double value)
    {
        if (DType == DType.Float32)
        {
            F32.Fill((float)value);
        }
        else
        {
            F64.Fill(value);
        }
    }

    /// <summary>Copies the values of <paramref name="source"/> into this tensor.</summary>
    /// <exception cref="ArgumentException">The shapes or dtypes differ.</exception>
    public void CopyFrom(Tensor source)
    {
        CheckSameLayout("CopyFrom", source, nameof(source));
        Array.Copy(source._storage, _storage, Count);
    }

    /// <summary>this += <paramref name="addend"/>, elementwise.</summary>
    /// <exception cref="ArgumentException">The shapes or dtypes differ.</exception>
    public void AddInPlace(Tensor addend)
    {
        CheckSameLayout("AddInPlace", addend, nameof(addend));
        Kernels.Broadcasting.AddInPlace(this, addend);
    }

    /// <summary>this += <paramref name="scale"/>·<paramref name="addend"/>, elementwise (the product rounded before the sum).</summary>
    /// <exception cref="ArgumentException">The shapes or dtypes differ.</exception>
    public void AddScaledInPlace(Tensor addend, double scale)
    {
        CheckSameLayout("AddScaledInPlace", addend, nameof(addend));
        if (DType == DType.Float32)
        {
            var sum = F32;
            var other = addend.F32;
            float c = (float)scale;
            for (int i = 0; i < sum.Length; i++)
            {
                float product = other[i] * c;
                sum[i] += product;
            }
        }
        else
        {
            var sum = F64;
            var other = addend.F64;
            for (int i = 0; i < sum.Length; i++)
            {
                double product = other[i] * scale;
                sum[i] += product;
            }
        }
    }

    /// <summary>this *= <paramref name="factor"/>, elementwise.</summary>
    public void ScaleInPlace(double factor)
    {
        if (DType == DType.Float32)
        {
            TensorPrimitives.Multiply(F32, (float)factor, F32);
        }
        else
        {
            TensorPrimitives.Multiply(F64, factor, F64);
        }
    }

    /// <summary>Whether every element is finite (no NaN, no infinity).</summary>
    public bool IsFinite()
    {
        if (DType == DType.Float32)
        {
            foreach (float v in F32)
            {
                if (!float.IsFinite(v))
                {
                    return false;
                }
            }
        }
        else
        {
            foreach (double v in F64)
            {
                if (!double.IsFinite(v))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private void CheckSameLayout(string operation, Tensor other, string paramName)
    {
        ArgumentNullException.ThrowIfNull(other, paramName);
        if (other.DType != DType || !ShapeHelper.SameShape(other._shape, _shape))
        {
            throw new ArgumentException($"{operation}: {Shapes.Format(other._shape)} {other.DType} does not match this tensor "
                + $"{Shapes.Format(_shape)} {DType}.", paramName);
        }
    }
}
