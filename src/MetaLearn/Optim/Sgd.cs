using System.Numerics;
using MetaLearn.Tensors;

namespace MetaLearn.Optim;

/// <summary>
/// Stochastic gradient descent with optional momentum (heavy ball or Nesterov), dampening and L2 weight decay, with
/// PyTorch's <c>torch.optim.SGD</c> semantics.
/// </summary>
/// <remarks>
/// <para>With gradient g, weight decay λ, momentum μ, dampening τ and learning rate α, each step computes
/// d = g + λθ; then, when μ ≠ 0, the buffer b ← μb + (1−τ)d (b = d on the parameter's first update, as PyTorch does)
/// and d = d + μb for Nesterov (Sutskever et al., 2013, in the reformulation of Bengio et al.) or d = b otherwise;
/// finally θ ← θ − αd.</para>
/// <para>The in-place <see cref="Optimizer.Step()"/> runs over the raw float32/float64 spans and allocates nothing; the
/// momentum buffers are kept in double precision. <see cref="DifferentiableSgd"/> is the same update (without dampening)
/// written with tensor operations, for differentiating through it.</para>
/// </remarks>
public sealed class Sgd : Optimizer
{
    /// <summary>The name of the momentum buffer in checkpoints and in <see cref="DifferentiableState"/>.</summary>
    public const string MomentumBufferName = "momentum_buffer";

    private readonly double[][]? _buffers;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">α, finite and non-negative.</param>
    /// <param name="momentum">μ ≥ 0; 0 is plain SGD.</param>
    /// <param name="nesterov">Use Nesterov momentum (needs μ &gt; 0 and no dampening).</param>
    /// <param name="weightDecay">λ ≥ 0, the L2 penalty added to the gradient.</param>
    /// <param name="dampening">τ in [0, 1]: the buffer takes (1−τ) of each new gradient.</param>
    /// <exception cref="ArgumentOutOfRangeException">A coefficient is out of range.</exception>
    /// <exception cref="ArgumentException">Nesterov without momentum or with dampening.</exception>
    public Sgd(IReadOnlyList<Tensor> parameters, double learningRate, double momentum = 0, bool nesterov = false, double weightDecay = 0, double dampening = 0)
        : this(OneGroup(parameters), learningRate, momentum, nesterov, weightDecay, dampening)
    {
    }

    /// <summary>Creates the optimizer over parameter groups (layer-wise learning rates and weight decays).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A coefficient is out of range.</exception>
    /// <exception cref="ArgumentException">Nesterov without momentum or with dampening; an empty or overlapping group list.</exception>
    public Sgd(IReadOnlyList<ParameterGroup> groups, double learningRate, double momentum = 0, bool nesterov = false, double weightDecay = 0,
        double dampening = 0)
        : base(groups, learningRate)
    {
        if (!(momentum >= 0) || double.IsInfinity(momentum))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must be finite and non-negative.");
        }

        if (!(weightDecay >= 0) || double.IsInfinity(weightDecay))
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "weightDecay must be finite and non-negative.");
        }

        if (!(dampening >= 0 && dampening <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(dampening), dampening, "dampening must be in [0, 1].");
        }

        if (nesterov && (momentum == 0 || dampening != 0))
        {
            throw new ArgumentException("Nesterov momentum requires momentum > 0 and dampening 0.", nameof(nesterov));
        }

        Momentum = momentum;
        Nesterov = nesterov;
        WeightDecay = weightDecay;
        Dampening = dampening;
        if (momentum != 0)
        {
            _buffers = new double[Parameters.Count][];
            for (int i = 0; i < _buffers.Length; i++)
            {
                _buffers[i] = new double[Parameters[i].Count];
            }

            RegisterState(MomentumBufferName, _buffers);
        }
    }

    /// <summary>The momentum coefficient μ.</summary>
    public double Momentum { get; }

    /// <summary>Whether the momentum is Nesterov's.</summary>
    public bool Nesterov { get; }

    /// <summary>The L2 weight-decay coefficient λ.</summary>
    public double WeightDecay { get; }

    /// <summary>The dampening τ of the momentum buffer.</summary>
    public double Dampening { get; }

    /// <summary>The momentum buffers, one array per parameter (empty when <see cref="Momentum"/> is 0).</summary>
    internal IReadOnlyList<double[]> MomentumBuffers => _buffers ?? [];

    /// <inheritdoc/>
    protected override void Update(int index, Tensor parameter, Tensor gradient)
    {
        var buffer = _buffers?[index];
        bool first = ParameterStepCount(index) == 1;
        if (parameter.DType == DType.Float32)
        {
            Apply(parameter.AsSpan<float>(), gradient.AsSpan<float>(), buffer, first, index);
        }
        else
        {
            Apply(parameter.AsSpan<double>(), gradient.AsSpan<double>(), buffer, first, index);
        }
    }

    /// <summary>The update over raw spans, in double precision whatever <typeparamref name="T"/> is.</summary>
    private void Apply<T>(Span<T> p, ReadOnlySpan<T> g, double[]? buffer, bool first, int index)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double lr = LearningRateOf(index);
        double mu = Momentum;
        double keep = 1 - Dampening;
        double decay = WeightDecayOf(index, WeightDecay);
        bool nesterov = Nesterov;
        for (int j = 0; j < p.Length; j++)
        {
            double theta = double.CreateTruncating(p[j]);
            double d = double.CreateTruncating(g[j]) + (decay * theta);
            if (buffer is not null)
            {
                double b = first ? d : (mu * buffer[j]) + (keep * d);
                buffer[j] = b;
                d = nesterov ? d + (mu * b) : b;
            }

            p[j] = T.CreateTruncating(theta - (lr * d));
        }
    }
}
