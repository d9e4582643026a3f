using MetaLearn.Tensors;

namespace MetaLearn.Optim;

/// <summary>Argument checks shared by the <see cref="IDifferentiableOptimizer"/> implementations.</summary>
internal static class DifferentiableStepGuard
{
    /// <summary>Checks that parameters, gradients and state line up, and each gradient matches its parameter.</summary>
    public static void Check(IReadOnlyList<Tensor> parameters, IReadOnlyList<Tensor?> gradients, DifferentiableState state, params string[] bufferNames)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(gradients);
        ArgumentNullException.ThrowIfNull(state);
        if (gradients.Count != parameters.Count)
        {
            throw new ArgumentException($"{gradients.Count} gradients given for {parameters.Count} parameters.", nameof(gradients));
        }

        if (state.Count != parameters.Count)
        {
            throw new ArgumentException($"The state describes {state.Count} parameters; {parameters.Count} were given.", nameof(state));
        }

        foreach (var name in bufferNames)
        {
            if (!state.BufferNames.Contains(name))
            {
                throw new ArgumentException($"The state has no '{name}' buffer; create it with Init of the same optimizer.", nameof(state));
            }
        }

        for (int i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i] ?? throw new ArgumentException($"Parameter {i} is null.", nameof(parameters));
            if (gradients[i] is { } g && (g.DType != p.DType || !g.Shape.SequenceEqual(p.Shape)))
            {
                throw new ArgumentException($"Gradient {i} ({g.DType} {Shapes.Format(g.Shape)}) does not match parameter {i} ({p.DType} "
                    + $"{Shapes.Format(p.Shape)}).", nameof(gradients));
            }

            foreach (var name in bufferNames)
            {
                if (state.Buffer(name)[i] is { } b && (b.DType != p.DType || !b.Shape.SequenceEqual(p.Shape)))
                {
                    throw new ArgumentException($"Buffer '{name}' of parameter {i} ({b.DType} {Shapes.Format(b.Shape)}) does not match the "
                        + $"parameter ({p.DType} {Shapes.Format(p.Shape)}).", nameof(state));
                }
            }
        }
    }

    /// <summary>Checks the parameter list given to <see cref="IDifferentiableOptimizer.Init"/> (buffers are created lazily, so shapes are checked at
    /// the first step).</summary>
    public static void CheckInit(IReadOnlyList<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        for (int i = 0; i < parameters.Count; i++)
        {
            if (parameters[i] is null)
            {
                throw new ArgumentException($"Parameter {i} is null.", nameof(parameters));
            }
        }
    }
}
