using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.MetaLearning;

/// <summary>
/// MAML++'s per-step batch-norm weights and biases: one copy of every batch-norm parameter of a model for each trained
/// inner step, written into the weights a step runs with. Step k uses copy k; steps past the last copy use the last.
/// </summary>
internal sealed class StepBatchNorm
{
    private readonly int[] _indices;
    private readonly Tensor[][] _copies;

    /// <summary>Finds the batch-norm parameters of <paramref name="model"/> and makes <paramref name="steps"/> leaf copies of each.</summary>
    /// <exception cref="ArgumentException">The model has no batch norm.</exception>
    public StepBatchNorm(Module model, int steps)
    {
        var owned = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        Collect(model, owned);
        var parameters = model.Parameters();
        _indices = [.. Enumerable.Range(0, parameters.Count).Where(i => owned.Contains(parameters[i]))];
        if (_indices.Length == 0)
        {
            throw new ArgumentException("Maml: MamlOptions.PerStepBatchNormWeights needs a model with batch norm; this one has none.", nameof(model));
        }

        _copies = new Tensor[steps][];
        for (int k = 0; k < steps; k++)
        {
            _copies[k] = new Tensor[_indices.Length];
            for (int j = 0; j < _indices.Length; j++)
            {
                var copy = parameters[_indices[j]].Clone();
                copy.RequiresGrad = true;
                _copies[k][j] = copy;
            }
        }
    }

    /// <summary>The positions of the batch-norm parameters in the model's parameter list.</summary>
    public IReadOnlyList<int> Indices => _indices;

    /// <summary>The number of steps with their own copies.</summary>
    public int Steps => _copies.Length;

    /// <summary>Copy <paramref name="j"/> (of the parameter at <see cref="Indices"/>[j]) for step <paramref name="step"/>.</summary>
    public Tensor Copy(int step, int j) => _copies[step][j];

    /// <summary>Writes the copies of step <paramref name="step"/> (clamped to the trained steps) into <paramref name="weights"/>.</summary>
    public void Apply(Tensor[] weights, int step)
    {
        var copies = _copies[Math.Clamp(step, 0, _copies.Length - 1)];
        for (int j = 0; j < _indices.Length; j++)
        {
            weights[_indices[j]] = copies[j];
        }
    }

    private static void Collect(Module module, HashSet<Tensor> owned)
    {
        if (module is BatchNorm)
        {
            foreach (var p in module.Parameters())
            {
                owned.Add(p);
            }
        }

        foreach (var (_, child) in module.Children)
        {
            Collect(child, owned);
        }
    }
}
