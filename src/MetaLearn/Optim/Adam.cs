using MetaLearn.Tensors;

namespace MetaLearn.Optim;

/// <summary>
/// Adam (Kingma &amp; Ba, 2015) with optional L2 weight decay added to the gradient (PyTorch's <c>Adam</c>);
/// AdamW's decoupled decay is <see cref="AdamW"/>.
/// </summary>
/// <remarks>
/// m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², θ ← θ − α·m̂/(√v̂ + ε) with m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ).
/// The moments are kept in double precision whatever the parameter type; the update allocates nothing.
/// </remarks>
public class Adam : Optimizer
{
    private readonly double[][] _m;
    private readonly double[][] _v;

    /// <summary>Creates the optimizer.</summary>
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

        if (!(epsilon > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be positive.");
        }

        if (!(weightDecay >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "weightDecay must be non-negative.");
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
        var m = _m[index];
        var v = _v[index];
        double t = StepCount;
        double correction1 = 1 - Math.Pow(Beta1, t);
        double correction2 = 1 - Math.Pow(Beta2, t);
        double stepSize = LearningRate / correction1;
        double decay = WeightDecay;
        bool decoupled = DecoupledWeightDecay;
        if (parameter.DType == DType.Float32)
        {
            var p = parameter.Data<float>();
            var g = gradient.Data<float>();
            for (int j = 0; j < p.Length; j++)
            {
                double theta = p[j];
                double grad = g[j];
                if (decoupled)
                {
                    theta -= LearningRate * decay * theta;
                }
                else
                {
                    grad += decay * theta;
                }

                m[j] = (Beta1 * m[j]) + ((1 - Beta1) * grad);
                v[j] = (Beta2 * v[j]) + ((1 - Beta2) * grad * grad);
                p[j] = (float)(theta - (stepSize * m[j] / (Math.Sqrt(v[j] / correction2) + Epsilon)));
            }
        }
        else
        {
            var p = parameter.Data<double>();
            var g = gradient.Data<double>();
            for (int j = 0; j < p.Length; j++)
            {
                double theta = p[j];
                double grad = g[j];
                if (decoupled)
                {
                    theta -= LearningRate * decay * theta;
                }
                else
                {
                    grad += decay * theta;
                }

                m[j] = (Beta1 * m[j]) + ((1 - Beta1) * grad);
                v[j] = (Beta2 * v[j]) + ((1 - Beta2) * grad * grad);
                p[j] = theta - (stepSize * m[j] / (Math.Sqrt(v[j] / correction2) + Epsilon));
            }
        }
    }
}
