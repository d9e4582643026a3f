using MetaLearn.Optim;
using MetaLearn.Tensors;

namespace MetaLearn.Transfer;

/// <summary>
/// Any differentiable update rule with a learning-rate scale per parameter: θ'ᵢ = θᵢ + sᵢ·(rule(θ)ᵢ − θᵢ). For SGD and
/// for Adam's first step this is exactly the rule at rate sᵢ·α; for Adam it scales each parameter's step, which is what
/// a layer-wise rate means. Scale 0 freezes a parameter (its state still advances, but its value never moves).
/// </summary>
public sealed class LayerwiseOptimizer : IDifferentiableOptimizer
{
    private readonly double[] _scales;

    /// <summary>Wraps <paramref name="rule"/> with one scale per parameter.</summary>
    /// <param name="rule">The update rule.</param>
    /// <param name="scales">Finite, non-negative factors, one per parameter of the lists later stepped.</param>
    /// <exception cref="ArgumentOutOfRangeException">A scale is negative or not finite.</exception>
    public LayerwiseOptimizer(IDifferentiableOptimizer rule, IReadOnlyList<double> scales)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(scales);
        for (int i = 0; i < scales.Count; i++)
        {
            if (!(scales[i] >= 0) || double.IsInfinity(scales[i]))
            {
                throw new ArgumentOutOfRangeException(nameof(scales), scales[i], $"LayerwiseOptimizer: scale {i} must be finite and non-negative.");
            }
        }

        Rule = rule;
        _scales = [.. scales];
    }

    /// <summary>The wrapped rule.</summary>
    public IDifferentiableOptimizer Rule { get; }

    /// <summary>The scale of each parameter.</summary>
    public IReadOnlyList<double> Scales => _scales;

    /// <inheritdoc/>
    public DifferentiableState Init(IReadOnlyList<Tensor> parameters)
    {
        Check(parameters);
        return Rule.Init(parameters);
    }

    /// <inheritdoc/>
    public (Tensor[] Parameters, DifferentiableState State) Step(IReadOnlyList<Tensor> parameters, IReadOnlyList<Tensor?> gradients, DifferentiableState state)
    {
        Check(parameters);
        var (stepped, next) = Rule.Step(parameters, gradients, state);
        for (int i = 0; i < stepped.Length; i++)
        {
            double scale = _scales[i];
            if (scale != 1 && !ReferenceEquals(stepped[i], parameters[i]))
            {
                stepped[i] = scale == 0 ? parameters[i] : parameters[i] + ((stepped[i] - parameters[i]) * scale);
            }
        }

        return (stepped, next);
    }

    private void Check(IReadOnlyList<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Count != _scales.Length)
        {
            throw new ArgumentException($"LayerwiseOptimizer: {parameters.Count} parameters for {_scales.Length} scales.", nameof(parameters));
        }
    }
}
