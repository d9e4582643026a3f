using System.Numerics;
using System.Runtime.Intrinsics;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Kernels.Simd;

namespace MetaLearn.Optim;

/// <summary>
/// Adam (Kingma &amp; Ba, 2015) with optional L2 weight decay added to the gradient (PyTorch's <c>Adam</c>);
/// AdamW's decoupled decay is <see cref="AdamW"/>.
/// </summary>
/// <remarks>
/// <para>m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², θ ← θ − α·m̂/(√v̂ + ε) with m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ), where t is the
/// number of updates this parameter has received (PyTorch keeps t per parameter as well). With L2 decay the gradient is
/// g + λθ; with decoupled decay (AdamW) the weights are first shrunk, θ ← θ − αλθ.</para>
/// <para>The moments are kept in double precision whatever the parameter type; the in-place update allocates nothing.
/// <see cref="Step(IReadOnlyList{Tensor}, IReadOnlyList{Tensor?}, DifferentiableState)"/> is the same update written
/// with tensor operations, for differentiating through it.</para>
/// </remarks>
public class Adam : Optimizer, IDifferentiableOptimizer
{
    /// <summary>The name of the first-moment buffer in checkpoints and in <see cref="DifferentiableState"/>.</summary>
    public const string FirstMomentName = "exp_avg";

    /// <summary>The name of the second-moment buffer in checkpoints and in <see cref="DifferentiableState"/>.</summary>
    public const string SecondMomentName = "exp_avg_sq";

    /// <summary>Elements widened to double and updated per block (two stack buffers of this many doubles).</summary>
    private const int UpdateBlock = 256;

    private readonly double[][] _m;
    private readonly double[][] _v;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">α, finite and non-negative.</param>
    /// <param name="beta1">β₁ in [0, 1).</param>
    /// <param name="beta2">β₂ in [0, 1).</param>
    /// <param name="epsilon">ε &gt; 0.</param>
    /// <param name="weightDecay">λ ≥ 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A coefficient is out of range.</exception>
    public Adam(IReadOnlyList<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0)
        : base(parameters, learningRate)
    {
        if (!(beta1 >= 0 && beta1 < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1).");
        }

        if (!(beta2 >= 0 && beta2 < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1).");
        }

        if (!(epsilon > 0) || double.IsInfinity(epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be finite and positive.");
        }

        if (!(weightDecay >= 0) || double.IsInfinity(weightDecay))
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "weightDecay must be finite and non-negative.");
        }

        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        _m = new double[Parameters.Count][];
        _v = new double[Parameters.Count][];
        for (int i = 0; i < Parameters.Count; i++)
        {
            _m[i] = new double[Parameters[i].Count];
            _v[i] = new double[Parameters[i].Count];
        }

        RegisterState(FirstMomentName, _m);
        RegisterState(SecondMomentName, _v);
    }

    /// <summary>Decay rate of the first moment.</summary>
    public double Beta1 { get; }

    /// <summary>Decay rate of the second moment.</summary>
    public double Beta2 { get; }

    /// <summary>Added to √v̂ for stability.</summary>
    public double Epsilon { get; }

    /// <summary>Weight-decay coefficient.</summary>
    public double WeightDecay { get; }

    /// <summary>Whether weight decay is decoupled from the gradient (AdamW) rather than added to it.</summary>
    protected virtual bool DecoupledWeightDecay => false;

    /// <summary>First-moment estimates, one array per parameter (for checkpoints).</summary>
    public IReadOnlyList<double[]> FirstMoments => _m;

    /// <summary>Second-moment estimates, one array per parameter (for checkpoints).</summary>
    public IReadOnlyList<double[]> SecondMoments => _v;

    /// <inheritdoc/>
    public DifferentiableState Init(IReadOnlyList<Tensor> parameters)
    {
        DifferentiableStepGuard.CheckInit(parameters);
        return DifferentiableState.Empty(parameters.Count, FirstMomentName, SecondMomentName);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// √ is not differentiable at 0, so second-order gradients through this step need v̂ &gt; 0, that is a non-zero
    /// gradient at some earlier step for every element (exactly zero gradients give infinite or NaN second derivatives).
    /// </remarks>
    public (Tensor[] Parameters, DifferentiableState State) Step(IReadOnlyList<Tensor> parameters, IReadOnlyList<Tensor?> gradients, DifferentiableState state)
    {
        DifferentiableStepGuard.Check(parameters, gradients, state, FirstMomentName, SecondMomentName);
        var result = new Tensor[parameters.Count];
        var steps = new long[parameters.Count];
        Tensor?[] m = [.. state.Buffer(FirstMomentName)];
        Tensor?[] v = [.. state.Buffer(SecondMomentName)];
        bool decoupled = DecoupledWeightDecay;
        for (int i = 0; i < result.Length; i++)
        {
            var theta = parameters[i];
            steps[i] = state.Steps[i];
            if (gradients[i] is not { } g)
            {
                result[i] = theta;
                continue;
            }

            long t = ++steps[i];
            var d = g;
            if (WeightDecay != 0)
            {
                if (decoupled)
                {
                    theta *= 1 - (LearningRate * WeightDecay);
                }
                else
                {
                    d = g + (parameters[i] * WeightDecay);
                }
            }

            // Null moments are zero: the first update is m = (1−β₁)g, v = (1−β₂)g².
            var scaledD = d * (1 - Beta1);
            var scaledD2 = d.Square() * (1 - Beta2);
            m[i] = m[i] is { } mPrev ? (mPrev * Beta1) + scaledD : scaledD;
            v[i] = v[i] is { } vPrev ? (vPrev * Beta2) + scaledD2 : scaledD2;
            double correction1 = 1 - Math.Pow(Beta1, t);
            double correction2 = 1 - Math.Pow(Beta2, t);
            var denominator = (v[i]! * (1 / correction2)).Sqrt() + Epsilon;
            result[i] = theta - (m[i]! * (LearningRate / correction1) / denominator);
        }

        var named = new Dictionary<string, IReadOnlyList<Tensor?>>(StringComparer.Ordinal)
        {
            [FirstMomentName] = m,
            [SecondMomentName] = v,
        };
        return (result, new DifferentiableState(steps, named));
    }

    /// <inheritdoc/>
    protected override void Update(int index, Tensor parameter, Tensor gradient)
    {
        if (parameter.DType == DType.Float32)
        {
            Apply(parameter.Data<float>(), gradient.Data<float>(), index);
        }
        else
        {
            Apply(parameter.Data<double>(), gradient.Data<double>(), index);
        }
    }

    /// <summary>
    /// The update over raw spans, in double precision whatever <typeparamref name="T"/> is: blocks of the parameter and its
    /// gradient are widened to double, updated on the widest hardware-accelerated vectors, and rounded back.
    /// </summary>
    private void Apply<T>(Span<T> p, ReadOnlySpan<T> g, int index)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double t = ParameterStepCount(index);
        double stepSize = LearningRate / (1 - Math.Pow(Beta1, t));
        var coefficients = new AdamCoefficients(LearningRate, stepSize, Beta1, Beta2, 1 - Math.Pow(Beta2, t), Epsilon, WeightDecay, DecoupledWeightDecay);
        Span<double> theta = stackalloc double[UpdateBlock];
        Span<double> grad = stackalloc double[UpdateBlock];
        for (int start = 0; start < p.Length; start += UpdateBlock)
        {
            int length = Math.Min(UpdateBlock, p.Length - start);
            var thetaBlock = theta[..length];
            var gradBlock = grad[..length];
            System.Numerics.Tensors.TensorPrimitives.ConvertTruncating<T, double>(p.Slice(start, length), thetaBlock);
            System.Numerics.Tensors.TensorPrimitives.ConvertTruncating<T, double>(g.Slice(start, length), gradBlock);
            var m = _m[index].AsSpan(start, length);
            var v = _v[index].AsSpan(start, length);
            if (Vector512.IsHardwareAccelerated)
            {
                AdamUpdate<Lanes512<double>, Vector512<double>>.Run(thetaBlock, gradBlock, m, v, coefficients);
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                AdamUpdate<Lanes256<double>, Vector256<double>>.Run(thetaBlock, gradBlock, m, v, coefficients);
            }
            else
            {
                AdamUpdate<Lanes128<double>, Vector128<double>>.Run(thetaBlock, gradBlock, m, v, coefficients);
            }

            System.Numerics.Tensors.TensorPrimitives.ConvertTruncating<double, T>(thetaBlock, p.Slice(start, length));
        }
    }
}
