using MetaLearn.Data;
using MetaLearn.NN;
using MetaLearn.Optim;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;

namespace MetaLearn.MetaLearning;

/// <summary>
/// Task adaptation by gradient steps: k steps of a differentiable optimizer on a task's support loss, starting from given
/// weights and returning new ones (the model is never changed). The one inner-step path of MAML, Reptile, their learners
/// and fine-tuning, so each behaves the same.
/// </summary>
/// <remarks>
/// The loss of a step is <c>loss(model(support; w), support) + penalty(w)</c>. Only the parameters marked adapted are
/// stepped (ANIL adapts only the head); the others pass through unchanged. The optimizer state is passed in and returned,
/// so adaptation can continue later where it stopped, schedules included.
/// </remarks>
public sealed class InnerLoop
{
    private readonly bool[] _adapted;
    private readonly int[] _adaptedIndices;

    /// <summary>Creates the loop.</summary>
    /// <param name="model">The model, run with the weights being adapted.</param>
    /// <param name="loss">The support loss.</param>
    /// <param name="optimizer">The update rule (plain SGD for MAML).</param>
    /// <param name="adapted">Which of the model's parameters are adapted (all when null).</param>
    /// <param name="penalty">An optional penalty on the weights added to the loss (L2-SP).</param>
    /// <exception cref="ArgumentException">The mask's length differs from the parameter count, or it selects no parameter.</exception>
    public InnerLoop(Module model, TaskLoss loss, IDifferentiableOptimizer optimizer, IReadOnlyList<bool>? adapted = null, ParameterPenalty? penalty = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(optimizer);
        int count = model.Parameters().Count;
        _adapted = adapted is null ? [.. Enumerable.Repeat(true, count)] : [.. adapted];
        if (_adapted.Length != count)
        {
            throw new ArgumentException($"InnerLoop: the adapted mask has {_adapted.Length} entries; the model has {count} parameters.", nameof(adapted));
        }

        _adaptedIndices = [.. Enumerable.Range(0, count).Where(i => _adapted[i])];
        if (_adaptedIndices.Length == 0)
        {
            throw new ArgumentException("InnerLoop: no parameter is adapted.", nameof(adapted));
        }

        Model = model;
        Loss = loss;
        Optimizer = optimizer;
        Penalty = penalty;
    }

    /// <summary>The model.</summary>
    public Module Model { get; }

    /// <summary>The support loss.</summary>
    public TaskLoss Loss { get; }

    /// <summary>The update rule.</summary>
    public IDifferentiableOptimizer Optimizer { get; }

    /// <summary>Which parameters are adapted.</summary>
    public IReadOnlyList<bool> Adapted => _adapted;

    /// <summary>The penalty added to the loss, or null.</summary>
    public ParameterPenalty? Penalty { get; }

    /// <summary>
    /// Whether a <see cref="InnerLoopMode.SecondOrder"/> run checkpoints each step (<see cref="Autograd.Checkpoint"/>): only
    /// the weights (and optimizer state) between steps are kept, and a step's forward pass and inner gradient are run again,
    /// with their graph, when the outer gradient reaches it. Memory then grows with one step instead of with the number of
    /// steps, for about one more forward pass and inner gradient per step. The adapted weights, and the gradients with
    /// respect to the starting weights, are bit-identical to an unchecked run. Ignored by the other modes, which keep no
    /// step's activations anyway. Refused (at <see cref="Run"/>) for a model whose forward pass changes state: dropout in
    /// training mode, or batch norm updating running statistics.
    /// </summary>
    /// <remarks>
    /// A tensor a step reads from outside its weights (a learned rate, a weight that is not adapted, an L2-SP anchor) gets its
    /// gradient through the checkpoint too, but as the sum of each step's part computed in its replay, so where several steps
    /// read it its gradient agrees with the unchecked run to rounding rather than bit for bit.
    /// </remarks>
    public bool CheckpointSteps { get; init; }

    /// <summary>
    /// Runs <paramref name="steps"/> steps from <paramref name="weights"/> on <paramref name="support"/> and returns the
    /// adapted weights and the optimizer state after them.
    /// </summary>
    /// <param name="weights">Starting weights, one per model parameter.</param>
    /// <param name="support">The examples to adapt on.</param>
    /// <param name="steps">How many steps (0 returns the weights unchanged).</param>
    /// <param name="mode">What to record (see <see cref="InnerLoopMode"/>).</param>
    /// <param name="state">The optimizer state to continue from; null starts afresh.</param>
    /// <param name="lossScale">Multiplies the loss: T turns the mean loss of T stacked tasks into their sum, so each task's weights get its own
    /// gradient.</param>
    /// <exception cref="ArgumentException">The weights do not match the model's parameters.</exception>
    public (Tensor[] Weights, DifferentiableState State) Run(IReadOnlyList<Tensor> weights, Examples support, int steps, InnerLoopMode mode,
        DifferentiableState? state = null, double lossScale = 1)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(support);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        if (weights.Count != _adapted.Length)
        {
            throw new ArgumentException($"InnerLoop: {weights.Count} weights given; the model has {_adapted.Length} parameters.", nameof(weights));
        }

        var fast = weights.ToArray();
        state ??= Optimizer.Init(fast);
        if (mode == InnerLoopMode.Detached)
        {
            Leaves(fast);
        }

        if (CheckpointSteps && mode == InnerLoopMode.SecondOrder && steps > 0)
        {
            CheckReplayable(Model);
        }

        for (int step = 0; step < steps; step++)
        {
            (fast, state) = CheckpointSteps && mode == InnerLoopMode.SecondOrder
                ? CheckpointedStep(fast, support, state, lossScale)
                : Step(fast, support, mode, state, lossScale);
        }

        return (fast, state);
    }

    /// <summary>One step: the support loss at <paramref name="fast"/>, its gradient with respect to the adapted weights, the update.</summary>
    private (Tensor[] Weights, DifferentiableState State) Step(Tensor[] fast, Examples support, InnerLoopMode mode, DifferentiableState state,
        double lossScale)
    {
        var loss = Loss(Model.Forward(support.Inputs, fast), support);
        if (Penalty is { } penalty)
        {
            loss += penalty(fast);
        }

        if (lossScale != 1)
        {
            loss *= lossScale;
        }

        var inputs = new Tensor[_adaptedIndices.Length];
        for (int j = 0; j < inputs.Length; j++)
        {
            inputs[j] = fast[_adaptedIndices[j]];
        }

        var adaptedGradients = Autograd.Grad([loss], inputs, null, createGraph: mode == InnerLoopMode.SecondOrder, allowUnused: true);
        var gradients = new Tensor?[fast.Length];
        for (int j = 0; j < inputs.Length; j++)
        {
            gradients[_adaptedIndices[j]] = adaptedGradients[j];
        }

        if (mode != InnerLoopMode.Detached)
        {
            return Optimizer.Step(fast, gradients, state);
        }

        Tensor[] next;
        using (Tensor.NoGrad())
        {
            (next, state) = Optimizer.Step(fast, gradients, state);
        }

        Leaves(next);
        return (next, state);
    }

    /// <summary>
    /// One second-order step under <see cref="Autograd.Checkpoint"/>: its arguments are the adapted weights and the optimizer's
    /// buffers, its outputs their next values; the weights that are not adapted pass through unchanged.
    /// </summary>
    private (Tensor[] Weights, DifferentiableState State) CheckpointedStep(Tensor[] fast, Examples support, DifferentiableState state,
        double lossScale)
    {
        int adapted = _adaptedIndices.Length;
        var arguments = new List<Tensor>(adapted);
        foreach (int i in _adaptedIndices)
        {
            arguments.Add(fast[i]);
        }

        arguments.AddRange(BufferTensors(state));
        DifferentiableState? shape = null;
        var outputs = Autograd.Checkpoint(x =>
        {
            var weights = fast.ToArray();
            for (int j = 0; j < adapted; j++)
            {
                weights[_adaptedIndices[j]] = x[j];
            }

            var (next, nextState) = Step(weights, support, InnerLoopMode.SecondOrder, WithBuffers(state, x.AsSpan(adapted)), lossScale);
            shape = nextState;
            return [.. _adaptedIndices.Select(i => next[i]), .. BufferTensors(nextState)];
        }, arguments);

        // The first run's state gives the layout (step counts, which buffers exist); its tensors were the segment's own.
        var result = fast.ToArray();
        for (int j = 0; j < adapted; j++)
        {
            result[_adaptedIndices[j]] = outputs[j];
        }

        return (result, WithBuffers(shape!, outputs.AsSpan(adapted)));
    }

    /// <summary>The state's buffer tensors that exist, buffer by buffer in name order, parameter by parameter.</summary>
    private static IEnumerable<Tensor> BufferTensors(DifferentiableState state)
        => state.BufferNames.Order(StringComparer.Ordinal).SelectMany(name => state.Buffer(name)).OfType<Tensor>();

    /// <summary>
    /// <paramref name="layout"/> with the tensors of <paramref name="values"/> in place of its buffers, in <see cref="BufferTensors"/>' order.
    /// </summary>
    private static DifferentiableState WithBuffers(DifferentiableState layout, ReadOnlySpan<Tensor> values)
    {
        var buffers = new Dictionary<string, IReadOnlyList<Tensor?>>(StringComparer.Ordinal);
        int next = 0;
        foreach (var name in layout.BufferNames.Order(StringComparer.Ordinal))
        {
            var list = layout.Buffer(name).ToArray();
            for (int i = 0; i < list.Length; i++)
            {
                if (list[i] is not null)
                {
                    list[i] = values[next++];
                }
            }

            buffers[name] = list;
        }

        return new DifferentiableState(layout.Steps, buffers);
    }

    /// <summary>Refuses a model whose forward pass changes state, which a replayed step would change a second time or differently.</summary>
    private static void CheckReplayable(Module module)
    {
        if (module is Dropout { IsTraining: true, Probability: > 0 })
        {
            throw new InvalidOperationException("InnerLoop: CheckpointSteps replays each step's forward pass, but the model has a Dropout in "
                + "training mode, which would draw another mask in the replay. Put the model in evaluation mode or turn CheckpointSteps off.");
        }

        if (module is BatchNorm { IsTraining: true, Statistics: BatchNormStatistics.Running })
        {
            throw new InvalidOperationException("InnerLoop: CheckpointSteps replays each step's forward pass, but the model has a BatchNorm "
                + "updating running statistics, which the replay would update twice. Use BatchNormStatistics.Batch or turn CheckpointSteps off.");
        }

        foreach (var (_, child) in module.Children)
        {
            CheckReplayable(child);
        }
    }

    /// <summary>Makes each adapted weight a fresh leaf that requires grad, sharing its values (nothing earlier is recorded).</summary>
    private void Leaves(Tensor[] weights)
    {
        foreach (int i in _adaptedIndices)
        {
            if (!weights[i].IsLeaf || !weights[i].RequiresGrad)
            {
                var leaf = weights[i].Detach();
                leaf.RequiresGrad = true;
                weights[i] = leaf;
            }
        }
    }
}
