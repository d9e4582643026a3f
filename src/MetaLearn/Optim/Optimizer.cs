using MetaLearn.Tensors;

namespace MetaLearn.Optim;

/// <summary>
/// Updates a fixed list of parameter tensors in place from their accumulated <see cref="Tensor.Grad"/>, outside the graph.
/// Parameters that do not require grad (frozen) or have no gradient are left unchanged.
/// </summary>
public abstract class Optimizer
{
    /// <summary>Creates the optimizer over <paramref name="parameters"/>.</summary>
    protected Optimizer(IReadOnlyList<Tensor> parameters, double learningRate)
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

        CheckLearningRate(learningRate);
        Parameters = [.. parameters];
        LearningRate = learningRate;
    }

    /// <summary>The parameters updated by <see cref="Step"/>.</summary>
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

    /// <summary>Clears every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters)
        {
            p.Grad = null;
        }
    }

    /// <summary>Applies one update to every trainable parameter from its gradient.</summary>
    public void Step()
    {
        StepCount++;
        using var scope = Tensor.NoGrad();
        for (int i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            if (p.RequiresGrad && p.Grad is { } g)
            {
                if (g.DType != p.DType || g.Count != p.Count)
                {
                    throw new InvalidOperationException($"{GetType().Name}: the gradient of parameter {i} ({g.DType}, {g.Count} elements) does not match the parameter ({p.DType}, {p.Count}).");
                }

                Update(i, p, g);
            }
        }
    }

    /// <summary>Updates parameter <paramref name="index"/> in place from gradient <paramref name="gradient"/>.</summary>
    protected abstract void Update(int index, Tensor parameter, Tensor gradient);

    private static void CheckLearningRate(double learningRate)
    {
        if (!(learningRate >= 0) || double.IsInfinity(learningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be finite and non-negative.");
        }
    }
}
