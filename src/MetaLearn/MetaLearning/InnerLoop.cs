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

        var inputs = new Tensor[_adaptedIndices.Length];
        var gradients = new Tensor?[fast.Length];
        for (int step = 0; step < steps; step++)
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

            for (int j = 0; j < inputs.Length; j++)
            {
                inputs[j] = fast[_adaptedIndices[j]];
            }

            var adaptedGradients = Autograd.Grad([loss], inputs, null, createGraph: mode == InnerLoopMode.SecondOrder, allowUnused: true);
            for (int j = 0; j < inputs.Length; j++)
            {
                gradients[_adaptedIndices[j]] = adaptedGradients[j];
            }

            if (mode == InnerLoopMode.Detached)
            {
                using (Tensor.NoGrad())
                {
                    (fast, state) = Optimizer.Step(fast, gradients, state);
                }

                Leaves(fast);
            }
            else
            {
                (fast, state) = Optimizer.Step(fast, gradients, state);
            }
        }

        return (fast, state);
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
