using MetaLearn.Tensors;

namespace MetaLearn.Optim;

/// <summary>
/// Meta-Curvature (Park &amp; Oliva, NeurIPS 2019): an update rule that transforms each gradient with learned
/// <see cref="CurvatureMatrices"/> before handing it to another rule, so with <see cref="DifferentiableSgd"/> the step is
/// θ' = θ − α·MC(∇L(θ)). Immutable and functional like every <see cref="IDifferentiableOptimizer"/>.
/// </summary>
/// <remarks>
/// The matrices are read at each step, so when they require grad and the inner gradients are recorded
/// (<c>createGraph: true</c>) the adapted weights are differentiable with respect to them: the outer loop meta-trains them
/// with the initialization, as Meta-SGD's rates (Meta-SGD's elementwise rate is the diagonal special case of a curvature
/// matrix). <c>MamlOptions.MetaCurvature</c> builds this rule for MAML and ANIL; any inner loop that takes an
/// <see cref="IDifferentiableOptimizer"/> takes it.
/// </remarks>
public sealed class MetaCurvature : IDifferentiableOptimizer
{
    private readonly CurvatureMatrices?[] _matrices;

    /// <summary>Creates the rule.</summary>
    /// <param name="rule">The rule that steps with the transformed gradients (<see cref="DifferentiableSgd"/> in the paper).</param>
    /// <param name="matrices">One entry per parameter: its matrices, or null to pass its gradient through unchanged.</param>
    /// <exception cref="ArgumentException">No entry has matrices.</exception>
    public MetaCurvature(IDifferentiableOptimizer rule, IReadOnlyList<CurvatureMatrices?> matrices)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(matrices);
        if (!matrices.Any(m => m is not null))
        {
            throw new ArgumentException($"MetaCurvature: none of the {matrices.Count} entries has curvature matrices.", nameof(matrices));
        }

        Rule = rule;
        _matrices = [.. matrices];
    }

    /// <summary>The rule that steps with the transformed gradients.</summary>
    public IDifferentiableOptimizer Rule { get; }

    /// <summary>The matrices of each parameter (null where its gradient passes through unchanged).</summary>
    public IReadOnlyList<CurvatureMatrices?> Matrices => _matrices;

    /// <inheritdoc/>
    public DifferentiableState Init(IReadOnlyList<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        CheckCount(parameters.Count, nameof(parameters));
        return Rule.Init(parameters);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">
    /// The counts differ, or a gradient does not fit its parameter's matrices (the message names the parameter).
    /// </exception>
    public (Tensor[] Parameters, DifferentiableState State) Step(IReadOnlyList<Tensor> parameters, IReadOnlyList<Tensor?> gradients, DifferentiableState state)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(gradients);
        CheckCount(parameters.Count, nameof(parameters));
        CheckCount(gradients.Count, nameof(gradients));
        var transformed = new Tensor?[gradients.Count];
        for (int i = 0; i < transformed.Length; i++)
        {
            if (gradients[i] is { } g && _matrices[i] is { } m)
            {
                if (!m.Fits(g.Shape.AsSpan()) || g.DType != m.Output.DType)
                {
                    throw new ArgumentException($"MetaCurvature: the gradient of parameter {i} is {g.DType} {Shapes.Format(g.Shape)}; its curvature "
                        + $"matrices were made for {m.Output.DType} {Shapes.Format(m.ParameterShape)}.", nameof(gradients));
                }

                transformed[i] = m.Apply(g);
            }
            else
            {
                transformed[i] = gradients[i];
            }
        }

        return Rule.Step(parameters, transformed, state);
    }

    private void CheckCount(int count, string paramName)
    {
        if (count != _matrices.Length)
        {
            throw new ArgumentException($"MetaCurvature: {count} entries given; the rule has curvature entries for {_matrices.Length} parameters.", paramName);
        }
    }
}
