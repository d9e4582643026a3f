using System.Globalization;
using MetaLearn.Tensors;

namespace MetaLearn.Optim;

/// <summary>
/// Updates a fixed list of parameter tensors in place from their accumulated <see cref="Tensor.Grad"/>, outside the graph.
/// Parameters that do not require grad (frozen) or have no gradient are left unchanged.
/// </summary>
/// <remarks>
/// Besides the global <see cref="StepCount"/>, the optimizer counts the updates each parameter actually received
/// (<see cref="ParameterStepCount"/>): PyTorch keeps this count per parameter too, so that a parameter which starts
/// receiving gradients late (unfrozen, or unused by early batches) gets Adam's bias correction and SGD's momentum
/// initialisation from its own first update. Derived classes register their per-parameter buffers with
/// <see cref="RegisterState"/>, and <see cref="ExportState"/>/<see cref="ImportState"/> then checkpoint them exactly.
/// </remarks>
public abstract class Optimizer
{
    private const string StepName = "step";
    private const string LearningRateName = "learning_rate";

    private readonly long[] _parameterSteps;
    private readonly double[] _rateScales;
    private readonly double?[] _decays;
    private readonly List<(string Name, double[][] Buffers)> _state = [];

    /// <summary>Creates the optimizer over <paramref name="parameters"/>, all at <paramref name="learningRate"/>.</summary>
    protected Optimizer(IReadOnlyList<Tensor> parameters, double learningRate)
        : this(OneGroup(parameters), learningRate)
    {
    }

    /// <summary>
    /// Creates the optimizer over parameter groups, each with its own learning-rate scale and optional weight decay
    /// (layer-wise learning rates for fine-tuning: a small rate for a transferred backbone, a large one for a new head).
    /// </summary>
    /// <exception cref="ArgumentException">No parameters, a null parameter, or a parameter in two groups.</exception>
    protected Optimizer(IReadOnlyList<ParameterGroup> groups, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var parameters = new List<Tensor>();
        var scales = new List<double>();
        var decays = new List<double?>();
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        for (int g = 0; g < groups.Count; g++)
        {
            var group = groups[g] ?? throw new ArgumentException($"Parameter group {g} is null.", nameof(groups));
            foreach (var p in group.Parameters)
            {
                if (p is null)
                {
                    throw new ArgumentException($"Parameter {parameters.Count} (group {g}) is null.", nameof(groups));
                }

                if (!seen.Add(p))
                {
                    throw new ArgumentException($"Parameter {parameters.Count} (group {g}) appears twice.", nameof(groups));
                }

                parameters.Add(p);
                scales.Add(group.LearningRateScale);
                decays.Add(group.WeightDecay);
            }
        }

        if (parameters.Count == 0)
        {
            throw new ArgumentException("The optimizer was given no parameters.", nameof(groups));
        }

        CheckLearningRate(learningRate);
        Parameters = [.. parameters];
        LearningRate = learningRate;
        _parameterSteps = new long[parameters.Count];
        _rateScales = [.. scales];
        _decays = [.. decays];
    }

    /// <summary>The parameters updated by <see cref="Step()"/>.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>The step size (schedules change it between steps).</summary>
    public double LearningRate
    {
        get;
        set
        {
            CheckLearningRate(value);
            field = value;
        }
    }

    /// <summary>The number of steps taken.</summary>
    public long StepCount { get; protected set; }

    /// <summary>The number of updates parameter <paramref name="index"/> has received (steps where it was trainable and had a gradient).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not a parameter index.</exception>
    public long ParameterStepCount(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _parameterSteps.Length);
        return _parameterSteps[index];
    }

    /// <summary>Clears every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters)
        {
            p.Grad = null;
        }
    }

    /// <summary>
    /// Applies one update to every parameter that requires grad and has a gradient in <see cref="Tensor.Grad"/> (PyTorch's
    /// convention: a parameter with <see cref="Tensor.RequiresGrad"/> false is left alone even if a stale gradient is there).
    /// </summary>
    /// <exception cref="InvalidOperationException">A gradient does not match its parameter.</exception>
    public void Step()
    {
        var gradients = new Tensor?[Parameters.Count];
        for (int i = 0; i < gradients.Length; i++)
        {
            gradients[i] = Parameters[i].RequiresGrad ? Parameters[i].Grad : null;
        }

        Apply(gradients);
    }

    /// <summary>
    /// Applies one update from <paramref name="gradients"/> (one per parameter, in <see cref="Parameters"/> order; null
    /// leaves that parameter unchanged), without reading or writing <see cref="Tensor.Grad"/>: for meta-learners and loops
    /// that compute gradients with <c>Autograd.Grad</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The count differs from the parameters', or a gradient does not match its parameter.</exception>
    public void Step(IReadOnlyList<Tensor?> gradients)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        if (gradients.Count != Parameters.Count)
        {
            throw new ArgumentException($"{GetType().Name}.Step: {gradients.Count} gradients for {Parameters.Count} parameters.", nameof(gradients));
        }

        for (int i = 0; i < gradients.Count; i++)
        {
            if (gradients[i] is { } g && (g.DType != Parameters[i].DType || !g.Shape.SequenceEqual(Parameters[i].Shape)))
            {
                throw new ArgumentException($"{GetType().Name}.Step: gradient {i} ({g.DType} {Shapes.Format(g.Shape)}) does not match its "
                    + $"parameter ({Parameters[i].DType} {Shapes.Format(Parameters[i].Shape)}).", nameof(gradients));
            }
        }

        Apply(gradients);
    }

    /// <summary>All of <paramref name="parameters"/> as one group at scale 1, checked with messages that name <paramref name="parameters"/>.</summary>
    /// <exception cref="ArgumentException">The list is empty or holds a null.</exception>
    protected static ParameterGroup[] OneGroup(IReadOnlyList<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Count == 0)
        {
            throw new ArgumentException("The optimizer was given no parameters.", nameof(parameters));
        }

        for (int i = 0; i < parameters.Count; i++)
        {
            if (parameters[i] is null)
            {
                throw new ArgumentException($"Parameter {i} is null.", nameof(parameters));
            }
        }

        return [new ParameterGroup(parameters)];
    }

    /// <summary>The learning rate of parameter <paramref name="index"/>: <see cref="LearningRate"/> times its group's scale.</summary>
    protected double LearningRateOf(int index) => LearningRate * _rateScales[index];

    /// <summary>The weight decay of parameter <paramref name="index"/>: its group's, or <paramref name="optimizerDecay"/> when the group sets none.</summary>
    protected double WeightDecayOf(int index, double optimizerDecay) => _decays[index] ?? optimizerDecay;

    private void Apply(IReadOnlyList<Tensor?> gradients)
    {
        StepCount++;
        using var scope = Tensor.NoGrad();
        for (int i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            if (gradients[i] is { } g)
            {
                if (g.DType != p.DType || g.Count != p.Count)
                {
                    throw new InvalidOperationException($"{GetType().Name}: the gradient of parameter {i} ({g.DType}, {g.Count} elements) does "
                        + $"not match the parameter ({p.DType}, {p.Count}).");
                }

                _parameterSteps[i]++;
                Update(i, p, g);
            }
        }
    }

    /// <summary>
    /// Copies the optimizer's state out as named float64 arrays: <c>step</c> and <c>learning_rate</c> (shape []), then for
    /// each parameter i <c>state.i.step</c> and the registered buffers <c>state.i.NAME</c> shaped like the parameter
    /// (PyTorch's state_dict naming). Together with the parameters themselves this resumes a run exactly.
    /// </summary>
    public IReadOnlyList<(string Name, int[] Shape, double[] Data)> ExportState()
    {
        var result = new List<(string, int[], double[])>
        {
            (StepName, [], [StepCount]),
            (LearningRateName, [], [LearningRate]),
        };
        for (int i = 0; i < Parameters.Count; i++)
        {
            result.Add((ParameterStateName(i, StepName), [], [_parameterSteps[i]]));
            foreach (var (name, buffers) in _state)
            {
                result.Add((ParameterStateName(i, name), [.. Parameters[i].Shape], (double[])buffers[i].Clone()));
            }
        }

        return result;
    }

    /// <summary>
    /// Restores state written by <see cref="ExportState"/> of an optimizer of the same kind over parameters of the same
    /// shapes. Everything is validated before anything is changed.
    /// </summary>
    /// <exception cref="ArgumentException">An entry is missing, unknown, duplicated, has the wrong shape or data length, holds a NaN or infinite
    /// value, or a count is not a non-negative integer; the message names the entry.</exception>
    public void ImportState(IReadOnlyList<(string Name, int[] Shape, double[] Data)> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var byName = new Dictionary<string, (int[] Shape, double[] Data)>(StringComparer.Ordinal);
        foreach (var (name, shape, data) in state)
        {
            if (name is null || shape is null || data is null)
            {
                throw new ArgumentException("A state entry has a null name, shape or data.", nameof(state));
            }

            if (!byName.TryAdd(name, (shape, data)))
            {
                throw new ArgumentException($"The state entry '{name}' appears twice.", nameof(state));
            }
        }

        var expected = ExportState();
        foreach (var (name, shape, _) in expected)
        {
            if (!byName.TryGetValue(name, out var entry))
            {
                throw new ArgumentException($"The state entry '{name}' is missing.", nameof(state));
            }

            if (!shape.AsSpan().SequenceEqual(entry.Shape))
            {
                throw new ArgumentException($"The state entry '{name}' has shape {Shapes.Format(entry.Shape)}; expected "
                    + $"{Shapes.Format(shape)}.", nameof(state));
            }

            long count = 1;
            foreach (int d in shape)
            {
                count *= d;
            }

            if (entry.Data.Length != count)
            {
                throw new ArgumentException($"The state entry '{name}' has {entry.Data.Length} values for shape {Shapes.Format(shape)}.", nameof(state));
            }

            bool isCount = name == StepName || name.EndsWith("." + StepName, StringComparison.Ordinal);
            if (isCount && !IsCount(entry.Data[0]))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"The state entry '{name}' is {entry.Data[0]}; a step count must be a non-negative integer."), nameof(state));
            }

            if (name == LearningRateName && !(entry.Data[0] >= 0 && !double.IsInfinity(entry.Data[0])))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"The state entry '{name}' is {entry.Data[0]}; it must be finite and non-negative."), nameof(state));
            }

            int nonFinite = Array.FindIndex(entry.Data, v => !double.IsFinite(v));
            if (nonFinite >= 0)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"The state entry '{name}' holds {entry.Data[nonFinite]} at element {nonFinite}; optimizer state must be finite."), nameof(state));
            }
        }

        if (byName.Count != expected.Count)
        {
            var known = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (name, _, _) in expected)
            {
                known.Add(name);
            }

            foreach (var name in byName.Keys)
            {
                if (!known.Contains(name))
                {
                    throw new ArgumentException($"The state entry '{name}' is not part of {GetType().Name}'s state.", nameof(state));
                }
            }
        }

        StepCount = (long)byName[StepName].Data[0];
        LearningRate = byName[LearningRateName].Data[0];
        for (int i = 0; i < Parameters.Count; i++)
        {
            _parameterSteps[i] = (long)byName[ParameterStateName(i, StepName)].Data[0];
            foreach (var (name, buffers) in _state)
            {
                byName[ParameterStateName(i, name)].Data.CopyTo(buffers[i], 0);
            }
        }
    }

    /// <summary>Updates parameter <paramref name="index"/> in place from gradient <paramref name="gradient"/>.</summary>
    /// <remarks>Called after the parameter's own step count has been incremented, so it is at least 1 here.</remarks>
    protected abstract void Update(int index, Tensor parameter, Tensor gradient);

    /// <summary>
    /// Registers a per-parameter buffer (one array per parameter, with the parameter's element count) to be checkpointed
    /// by <see cref="ExportState"/> and <see cref="ImportState"/> as <c>state.i.<paramref name="name"/></c>.
    /// </summary>
    /// <exception cref="ArgumentException">The name is empty, contains '.', is already registered, or the arrays do not match the parameters.</exception>
    protected void RegisterState(string name, double[][] buffers)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(buffers);
        if (name.Contains('.', StringComparison.Ordinal) || name == StepName || _state.Exists(s => s.Name == name))
        {
            throw new ArgumentException($"The state name '{name}' is invalid or already registered.", nameof(name));
        }

        if (buffers.Length != Parameters.Count)
        {
            throw new ArgumentException($"{buffers.Length} buffers given for {Parameters.Count} parameters.", nameof(buffers));
        }

        for (int i = 0; i < buffers.Length; i++)
        {
            if (buffers[i] is null || buffers[i].Length != Parameters[i].Count)
            {
                throw new ArgumentException($"Buffer {i} of '{name}' does not have the {Parameters[i].Count} elements of parameter {i}.", nameof(buffers));
            }
        }

        _state.Add((name, buffers));
    }

    private static string ParameterStateName(int index, string name) => string.Create(CultureInfo.InvariantCulture, $"state.{index}.{name}");

    private static bool IsCount(double value) => value >= 0 && value <= long.MaxValue && Math.Floor(value) == value;

    private static void CheckLearningRate(double learningRate)
    {
        if (!(learningRate >= 0) || double.IsInfinity(learningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be finite and non-negative.");
        }
    }
}
