using System.Collections.Immutable;
using System.Runtime.InteropServices;
using MetaLearn.Tensors;

namespace MetaLearn.Optim;

/// <summary>
/// Meta-Curvature's learned matrices for one parameter (Park &amp; Oliva, NeurIPS 2019): the inner gradient G of a weight of
/// shape [O, I, k…] is read as the 3-way tensor [O, I, F] (F the product of the trailing sizes) and transformed to
/// G ×₁ M_o ×₂ M_i ×₃ M_f, with M_o [O, O], M_i [I, I] and M_f [F, F]. Identity matrices leave the gradient unchanged.
/// </summary>
/// <remarks>
/// <para>The mode-n product multiplies the matrix into axis n: (G ×₁ M_o)[a, i, f] = Σ_o M_o[a, o]·G[o, i, f], and likewise
/// on the input and filter axes. For a linear weight [O, I] the transform is M_o·G·M_iᵀ; for a vector (a bias, a batch-norm
/// weight) of length O it is M_o·g, a full O×O matrix (Meta-SGD's elementwise rate is its diagonal); a scalar parameter
/// gets a 1×1 matrix. Which matrices exist follows the parameter's rank: <see cref="Output"/> always,
/// <see cref="Input"/> from rank 2, <see cref="Filter"/> from rank 3.</para>
/// <para>Everything is written with <see cref="Tensor.MatMul(Tensor, Tensor, bool, bool)"/> and <see cref="Tensor.Reshape"/>, so the
/// transformed gradient is differentiable with respect to the matrices and, with
/// <c>createGraph: true</c>, to second order. Leading axes of the gradient beyond the parameter's shape (the task axis of a
/// batched meta-batch) are transformed each on its own with the same matrices.</para>
/// </remarks>
public sealed class CurvatureMatrices
{
    private readonly int[] _parameterShape;
    private readonly int _outputSize;
    private readonly int _inputSize;
    private readonly int _filterSize;

    private CurvatureMatrices(int[] parameterShape, DType dtype)
    {
        _parameterShape = parameterShape;
        _outputSize = parameterShape.Length == 0 ? 1 : parameterShape[0];
        _inputSize = parameterShape.Length < 2 ? 1 : parameterShape[1];
        _filterSize = 1;
        for (int axis = 2; axis < parameterShape.Length; axis++)
        {
            _filterSize *= parameterShape[axis];
        }

        Output = Tensor.Identity(_outputSize, dtype);
        Input = parameterShape.Length >= 2 ? Tensor.Identity(_inputSize, dtype) : null;
        Filter = parameterShape.Length >= 3 ? Tensor.Identity(_filterSize, dtype) : null;
    }

    /// <summary>The shape of the parameter whose gradient the matrices transform.</summary>
    public ImmutableArray<int> ParameterShape => ImmutableCollectionsMarshal.AsImmutableArray(_parameterShape);

    /// <summary>M_o, [O, O]: mixes the output axis (axis 0); a live tensor, trained in place by the outer loop.</summary>
    public Tensor Output { get; }

    /// <summary>M_i, [I, I]: mixes the input axis (axis 1); null for a parameter of rank below 2.</summary>
    public Tensor? Input { get; }

    /// <summary>M_f, [F, F]: mixes the flattened trailing axes (the kernel window k·k of a 2-d convolution); null below rank 3.</summary>
    public Tensor? Filter { get; }

    /// <summary>The matrices that exist, in mode order: M_o, then M_i and M_f where present.</summary>
    public IReadOnlyList<Tensor> Matrices => Input is null ? [Output] : Filter is null ? [Output, Input] : [Output, Input, Filter];

    /// <summary>Identity matrices (the transform that changes nothing) for a parameter of shape <paramref name="parameterShape"/>.</summary>
    /// <param name="parameterShape">The parameter's shape; every size at least 1.</param>
    /// <param name="dtype">The matrices' element type: the parameter's.</param>
    /// <exception cref="ArgumentException">A size is below 1.</exception>
    public static CurvatureMatrices Identity(ReadOnlySpan<int> parameterShape, DType dtype)
    {
        foreach (int size in parameterShape)
        {
            if (size < 1)
            {
                throw new ArgumentException(
                    $"CurvatureMatrices: the parameter shape {Shapes.Format(parameterShape)} has a size below 1.", nameof(parameterShape));
            }
        }

        return new CurvatureMatrices(parameterShape.ToArray(), dtype);
    }

    /// <summary>Whether <paramref name="shape"/> is the parameter's shape, optionally after leading (task) axes.</summary>
    public bool Fits(ReadOnlySpan<int> shape)
        => shape.Length >= _parameterShape.Length && shape[(shape.Length - _parameterShape.Length)..].SequenceEqual(_parameterShape);

    /// <summary>G ×₁ M_o ×₂ M_i ×₃ M_f, in <paramref name="gradient"/>'s shape.</summary>
    /// <param name="gradient">The gradient: the parameter's shape, optionally after leading axes, and its element type.</param>
    /// <exception cref="ArgumentException">The gradient's shape or element type does not fit the matrices.</exception>
    public Tensor Apply(Tensor gradient)
    {
        ArgumentNullException.ThrowIfNull(gradient);
        if (!Fits(gradient.Shape.AsSpan()) || gradient.DType != Output.DType)
        {
            throw new ArgumentException($"CurvatureMatrices: the gradient is {gradient.DType} {Shapes.Format(gradient.Shape)}; the matrices were made "
                + $"for {Output.DType} parameters of shape {Shapes.Format(_parameterShape)}.", nameof(gradient));
        }

        int batch = gradient.Count / (_outputSize * _inputSize * _filterSize);
        var x = Output.MatMul(gradient.Reshape(batch, _outputSize, _inputSize * _filterSize));
        if (Input is not null)
        {
            x = Input.MatMul(x.Reshape(batch * _outputSize, _inputSize, _filterSize));
        }

        if (Filter is not null)
        {
            x = Tensor.MatMul(x, Filter, transposeB: true);
        }

        return x.Reshape([.. gradient.Shape]);
    }
}
