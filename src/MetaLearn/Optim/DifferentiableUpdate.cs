using MetaLearn.Tensors;

namespace MetaLearn.Optim;

/// <summary>
/// The per-parameter loop every <see cref="IDifferentiableOptimizer"/> shares: a parameter without a gradient is passed
/// through with its count unchanged; one with a gradient gets its update count raised and the rule's new value.
/// </summary>
internal static class DifferentiableUpdate
{
    /// <summary>A rule's update of parameter <c>index</c>: its value θ, gradient g and new update count t (1 at the first update).</summary>
    public delegate Tensor Rule(int index, Tensor theta, Tensor gradient, long count);

    /// <summary>The new parameters and update counts after applying <paramref name="rule"/> where a gradient is given.</summary>
    public static (Tensor[] Parameters, long[] Steps) Apply(
        IReadOnlyList<Tensor> parameters, IReadOnlyList<Tensor?> gradients, DifferentiableState state, Rule rule)
    {
        var result = new Tensor[parameters.Count];
        var steps = new long[parameters.Count];
        for (int i = 0; i < result.Length; i++)
        {
            steps[i] = state.Steps[i];
            result[i] = gradients[i] is { } g ? rule(i, parameters[i], g, ++steps[i]) : parameters[i];
        }

        return (result, steps);
    }
}
