using MetaLearn.Tensors;

namespace MetaLearn.NN;

/// <summary>
/// Batch normalization (Ioffe &amp; Szegedy, 2015) over axis 1 (channels): y = γ·(x − μ)/√(σ² + ε) + β, with learnable
/// γ ("weight", initially 1) and β ("bias", initially 0), one per channel. See <see cref="BatchNormStatistics"/> for which
/// μ and σ² are used; <see cref="BatchNorm1d"/> and <see cref="BatchNorm2d"/> fix the accepted input ranks.
/// </summary>
/// <remarks>
/// Batch statistics are taken over every axis but 1 with the biased variance (divide by n), as PyTorch does for the
/// normalization; the running variance is updated with the unbiased one (divide by n − 1):
/// running ← (1 − momentum)·running + momentum·batch.
/// </remarks>
public abstract class BatchNorm : Module
{
    private readonly Tensor? _runningMean;
    private readonly Tensor? _runningVar;
    private readonly ModuleCounter? _trackedBatches;
    private readonly Lock _bufferLock = new();

    /// <summary>Creates the layer.</summary>
    /// <param name="numFeatures">The number of channels C (size of axis 1).</param>
    /// <param name="statistics">The normalization policy (see <see cref="BatchNormStatistics"/>).</param>
    /// <param name="epsilon">Added to the variance for stability.</param>
    /// <param name="momentum">Weight of the new batch in the running averages (<see cref="BatchNormStatistics.Running"/> only).</param>
    /// <param name="dtype">Element type of the parameters and buffers.</param>
    protected BatchNorm(int numFeatures, BatchNormStatistics statistics, double epsilon, double momentum, DType dtype)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numFeatures);
        if (!(epsilon > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "BatchNorm: epsilon must be positive.");
        }

        if (!(momentum >= 0 && momentum <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "BatchNorm: momentum must be in [0, 1].");
        }

        if (!Enum.IsDefined(statistics))
        {
            throw new ArgumentOutOfRangeException(nameof(statistics), statistics, "BatchNorm: unknown statistics policy.");
        }

        NumFeatures = numFeatures;
        Statistics = statistics;
        Epsilon = epsilon;
        Momentum = momentum;
        AddParameter("weight", Tensor.Ones([numFeatures], dtype));
        AddParameter("bias", Tensor.Zeros([numFeatures], dtype));
        if (statistics == BatchNormStatistics.Running)
        {
            _runningMean = AddBuffer("running_mean", Tensor.Zeros([numFeatures], dtype));
            _runningVar = AddBuffer("running_var", Tensor.Ones([numFeatures], dtype));
            _trackedBatches = AddCounter("num_batches_tracked");
        }
    }

    /// <summary>The number of channels.</summary>
    public int NumFeatures { get; }

    /// <summary>The normalization policy.</summary>
    public BatchNormStatistics Statistics { get; }

    /// <summary>Added to the variance before the square root.</summary>
    public double Epsilon { get; }

    /// <summary>Weight of each new batch in the running averages.</summary>
    public double Momentum { get; }

    /// <summary>The running mean per channel (the live buffer, initially 0); null under <see cref="BatchNormStatistics.Batch"/>.</summary>
    public Tensor? RunningMean => _runningMean;

    /// <summary>The running (unbiased) variance per channel (the live buffer, initially 1); null under <see cref="BatchNormStatistics.Batch"/>.</summary>
    public Tensor? RunningVar => _runningVar;

    /// <summary>
    /// The number of training batches blended into the running statistics so far: the counter PyTorch calls
    /// <c>num_batches_tracked</c> (saved and loaded with the module); always 0 under <see cref="BatchNormStatistics.Batch"/>.
    /// </summary>
    public long TrackedBatches => _trackedBatches?.Value ?? 0;

    /// <summary>Sets the running statistics back to mean 0, variance 1 (no-op under <see cref="BatchNormStatistics.Batch"/>).</summary>
    public void ResetRunningStatistics()
    {
        if (_runningMean is null || _runningVar is null)
        {
            return;
        }

        lock (_bufferLock)
        {
            Init.Assign(_runningMean, Tensor.Zeros([NumFeatures], _runningMean.DType));
            Init.Assign(_runningVar, Tensor.Ones([NumFeatures], _runningVar.DType));
            _trackedBatches!.Value = 0;
        }
    }

    /// <summary>Whether an input of rank <paramref name="rank"/> is accepted.</summary>
    protected abstract bool AcceptsRank(int rank);

    /// <summary>The accepted input layouts, for error messages.</summary>
    protected abstract string ExpectedLayout { get; }

    /// <inheritdoc/>
    /// <remarks>Under <see cref="BatchNormStatistics.Running"/> in training mode this updates the running buffers (not thread-safe with respect to
    /// their values).</remarks>
    public override Tensor Forward(Tensor input, ParameterView parameters) => Forward(input, parameters, relu: false);

    /// <summary>The forward pass, with ReLU fused in when <paramref name="relu"/> (one pass over the output instead of two).</summary>
    internal Tensor Forward(Tensor input, ParameterView parameters, bool relu)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!AcceptsRank(input.Rank) || input.Shape[1] != NumFeatures)
        {
            throw new ArgumentException($"{GetType().Name}: expected input {ExpectedLayout} with C = {NumFeatures}, got {Shapes.Format(input)}.",
                nameof(input));
        }

        if (Statistics == BatchNormStatistics.Batch || IsTraining)
        {
            int n = input.Count / NumFeatures;
            if (n < 2)
            {
                throw new ArgumentException($"{GetType().Name}: batch statistics need more than one value per channel, got input "
                    + $"{Shapes.Format(input)}.", nameof(input));
            }

            var output = Functional.BatchNorm(input, parameters[0], parameters[1], Epsilon, relu, out var mean, out var variance);
            if (Statistics == BatchNormStatistics.Running)
            {
                UpdateRunningStatistics(mean, variance, n);
            }

            return output;
        }

        var broadcast = new int[input.Rank];
        Array.Fill(broadcast, 1);
        broadcast[1] = NumFeatures;
        var gamma = parameters[0].Reshape(broadcast);
        var beta = parameters[1].Reshape(broadcast);
        var scale = (_runningVar!.Reshape(broadcast) + Epsilon).Pow(-0.5) * gamma;
        var normalized = ((input - _runningMean!.Reshape(broadcast)) * scale) + beta;
        return relu ? normalized.Relu() : normalized;
    }

    /// <summary>
    /// The forward pass followed by ReLU and <paramref name="pool"/>, fused into one op when batch statistics are used (the
    /// full-size normalized tensor is then never kept).
    /// </summary>
    internal Tensor ForwardReluMaxPool(Tensor input, ParameterView parameters, MaxPool2d pool)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4 || input.Shape[1] != NumFeatures || !(Statistics == BatchNormStatistics.Batch || IsTraining))
        {
            return Functional.MaxPool2d(Forward(input, parameters, relu: true), pool.KernelSize, pool.Stride, pool.Padding);
        }

        int n = input.Count / NumFeatures;
        var output = Functional.BatchNormReluMaxPool2d(input, parameters[0], parameters[1], pool.KernelSize, pool.Stride, pool.Padding, Epsilon,
            out var mean, out var variance);
        if (Statistics == BatchNormStatistics.Running)
        {
            UpdateRunningStatistics(mean, variance, n);
        }

        return output;
    }

    private void UpdateRunningStatistics(double[] batchMean, double[] batchVar, int n)
    {
        double unbias = n / (n - 1.0);
        lock (_bufferLock)
        {
            var runningMean = _runningMean!.ToDoubleArray();
            var runningVar = _runningVar!.ToDoubleArray();
            for (int c = 0; c < NumFeatures; c++)
            {
                runningMean[c] = ((1 - Momentum) * runningMean[c]) + (Momentum * batchMean[c]);
                runningVar[c] = ((1 - Momentum) * runningVar[c]) + (Momentum * batchVar[c] * unbias);
            }

            Init.Assign(_runningMean, Tensor.FromArray(runningMean));
            Init.Assign(_runningVar, Tensor.FromArray(runningVar));
            _trackedBatches!.Increment();
        }
    }
}
