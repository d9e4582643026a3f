using System.Numerics;
using MetaLearn.Tensors;

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
/// <see cref="DifferentiableAdam"/> is the same update written with tensor operations, for differentiating through it.</para>
/// </remarks>
public class Adam : Optimizer
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
    public Adam(IReadOnlyList<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8,
        double weightDecay = 0)
        : this(OneGroup(parameters), learningRate, beta1, beta2, epsilon, weightDecay)
    {
    }

    /// <summary>Creates the optimizer over parameter groups (layer-wise learning rates and weight decays).</summary>
    /// <param name="groups">The parameter groups.</param>
    /// <param name="learningRate">α, finite and non-negative (each group scales it).</param>
    /// <param name="beta1">β₁ in [0, 1).</param>
    /// <param name="beta2">β₂ in [0, 1).</param>
    /// <param name="epsilon">ε &gt; 0.</param>
    /// <param name="weightDecay">λ ≥ 0, for groups that set none.</param>
    /// <exception cref="ArgumentOutOfRangeException">A coefficient is out of range.</exception>
    public Adam(IReadOnlyList<ParameterGroup> groups, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8,
        double weightDecay = 0)
        : base(groups, learningRate)
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
    protected override void Update(int index, Tensor parameter, Tensor gradient)
    {
        if (parameter.DType == DType.Float32)
        {
            Apply(parameter.AsSpan<float>(), gradient.AsSpan<float>(), index);
        }
        else
        {
            Apply(parameter.AsSpan<double>(), gradient.AsSpan<double>(), index);
        }
    }

    /// <summary>
    /// The update over raw spans, in double precision whatever <typeparamref name="T"/> is: blocks of the parameter and its
    /// gradient are widened to double, updated in vectors (<see cref="AdamUpdate"/>), and rounded back.
    /// </summary>
    private void Apply<T>(Span<T> p, ReadOnlySpan<T> g, int index)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double t = ParameterStepCount(index);
        double lr = LearningRateOf(index);
        double stepSize = lr / (1 - Math.Pow(Beta1, t));
        var coefficients = new AdamCoefficients(lr, stepSize, Beta1, Beta2, 1 - Math.Pow(Beta2, t), Epsilon, WeightDecayOf(index, WeightDecay),
            DecoupledWeightDecay);
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
            AdamUpdate.Run(thetaBlock, gradBlock, m, v, coefficients);
            System.Numerics.Tensors.TensorPrimitives.ConvertTruncating<double, T>(thetaBlock, p.Slice(start, length));
        }
    }
}
