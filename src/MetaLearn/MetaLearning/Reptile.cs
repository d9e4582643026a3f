using MetaLearn.Data;
using MetaLearn.NN;
using MetaLearn.Optim;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;

namespace MetaLearn.MetaLearning;

/// <summary>
/// Reptile (Nichol, Achiam &amp; Schulman, 2018, "On First-Order Meta-Learning Algorithms"): train a copy of the weights on
/// each task for k steps, then move the initialization towards the result, θ ← θ + ε·meanᵢ(φᵢ − θ).
/// </summary>
public sealed class Reptile : IMetaLearner
{
    private readonly Tensor[] _parameters;
    private long _iteration;

    /// <summary>Creates the meta-learner around <paramref name="model"/>.</summary>
    public Reptile(Module model, TaskLoss loss, ReptileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        Options = options ?? new ReptileOptions();
        if (Options.InnerSteps < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), Options.InnerSteps, "Reptile: InnerSteps must be at least 1.");
        }

        if (!(Options.InnerLearningRate > 0) || !(Options.OuterStepSize >= 0) || !(Options.FinalOuterStepSize >= 0) || Options.AnnealIterations < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Reptile: step sizes must be positive (outer ones non-negative) and AnnealIterations at least 1.");
        }

        Model = model;
        Loss = loss;
        var named = model.NamedParameters();
        _parameters = [.. named.Select(p => p.Value)];
    }

    /// <summary>The settings.</summary>
    public ReptileOptions Options { get; }

    /// <summary>The model whose initialization is meta-learned.</summary>
    public Module Model { get; }

    /// <summary>The inner-loop loss.</summary>
    public TaskLoss Loss { get; }

    /// <summary>ε for the current meta-iteration (linear annealing).</summary>
    public double CurrentOuterStepSize
    {
        get
        {
            double progress = Math.Min(1.0, (double)_iteration / Options.AnnealIterations);
            return Options.OuterStepSize + ((Options.FinalOuterStepSize - Options.OuterStepSize) * progress);
        }
    }

    /// <summary>Trains a copy of <paramref name="start"/> on <paramref name="examples"/> for <paramref name="steps"/> steps and returns it.</summary>
    public Tensor[] TrainOnTask(IReadOnlyList<Tensor> start, Examples examples, int steps)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(examples);
        var weights = new Tensor[start.Count];
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = start[i].Clone();
            weights[i].RequiresGrad = _parameters[i].RequiresGrad;
        }

        var trainable = weights.Where(w => w.RequiresGrad).ToArray();
        Optimizer optimizer = Options.InnerOptimizer == InnerOptimizerKind.Adam
            ? new Adam(trainable, Options.InnerLearningRate)
            : new PlainSgd(trainable, Options.InnerLearningRate);
        for (int step = 0; step < steps; step++)
        {
            var loss = Loss(Model.Forward(examples.Inputs, weights), examples);
            var grads = Autograd.Grad([loss], trainable, null, createGraph: false, allowUnused: true);
            for (int i = 0; i < trainable.Length; i++)
            {
                trainable[i].Grad = grads[i];
            }

            optimizer.Step();
            optimizer.ZeroGrad();
        }

        return weights;
    }

    /// <inheritdoc/>
    public double MetaStep(IReadOnlyList<ITask> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        if (tasks.Count == 0)
        {
            throw new ArgumentException("Reptile: the meta-batch is empty.", nameof(tasks));
        }

        double epsilon = CurrentOuterStepSize;
        var losses = new double[tasks.Count];
        if (Options.Serial)
        {
            for (int i = 0; i < tasks.Count; i++)
            {
                var adapted = RunTask(tasks[i], i, losses);
                MoveTowards([adapted], epsilon);
            }
        }
        else
        {
            var adapted = new Tensor[tasks.Count][];
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Options.MaxDegreeOfParallelism) };
            Parallel.For(0, tasks.Count, parallel, i => adapted[i] = RunTask(tasks[i], i, losses));
            MoveTowards(adapted, epsilon);
        }

        _iteration++;
        return losses.Average();
    }

    /// <inheritdoc/>
    public ILearner CreateLearner() => new ReptileLearner(this, _parameters);

    /// <inheritdoc/>
    public IReadOnlyList<(string Name, Tensor Value)> ExportState()
    {
        var state = StateCheck.ExportModel(Model);
        state.Add(("reptile.iteration", Tensor.Scalar(_iteration, DType.Float64)));
        return state;
    }

    /// <inheritdoc/>
    public void ImportState(IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var expected = ExportState();
        StateCheck.Validate(expected, state, nameof(state));
        var targets = StateCheck.ModelTargets(Model);
        StateCheck.CopyAll(expected, state, targets);

        _iteration = (long)state["reptile.iteration"].Item();
    }

    private Tensor[] RunTask(ITask task, int index, double[] losses)
    {
        if (task is null)
        {
            throw new ArgumentException($"Reptile: task {index} is null.", nameof(task));
        }

        var examples = Options.IncludeQueryInInnerLoop ? Merge(task.Support, task.Query) : task.Support;
        var adapted = TrainOnTask(_parameters, examples, Options.InnerSteps);
        using (Tensor.NoGrad())
        {
            losses[index] = Loss(Model.Forward(task.Query.Inputs, adapted), task.Query).Item();
        }

        return adapted;
    }

    /// <summary>θ ← θ + ε·meanᵢ(φᵢ − θ), in place, summing tasks in order.</summary>
    private void MoveTowards(Tensor[][] adapted, double epsilon)
    {
        using var scope = Tensor.NoGrad();
        for (int p = 0; p < _parameters.Length; p++)
        {
            if (!_parameters[p].RequiresGrad)
            {
                continue;
            }

            Tensor sum = _parameters[p].ZerosLike();
            foreach (var weights in adapted)
            {
                sum += weights[p] - _parameters[p];
            }

            var updated = _parameters[p] + (sum * (epsilon / adapted.Length));
            StateCheck.CopyInto(updated, _parameters[p]);
        }
    }

    private static Examples Merge(Examples a, Examples b)
    {
        var inputs = Tensor.Concat([a.Inputs, b.Inputs], 0);
        return a.IsClassification
            ? new Examples(inputs, [.. a.Labels!, .. b.Labels!])
            : new Examples(inputs, Tensor.Concat([a.Targets!, b.Targets!], 0));
    }

    /// <summary>θ ← θ − α·g in place.</summary>
    private sealed class PlainSgd(IReadOnlyList<Tensor> parameters, double learningRate) : Optimizer(parameters, learningRate)
    {
        protected override void Update(int index, Tensor parameter, Tensor gradient)
            => StateCheck.CopyInto(parameter - (gradient * LearningRate), parameter);
    }
}
