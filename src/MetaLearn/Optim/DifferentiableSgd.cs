using MetaLearn.Tensors;

namespace MetaLearn.Optim;

/// <summary>
/// Plain gradient descent written with tensor operations, θ' = θ − α·g, returning new tensors. When the gradients were
/// computed with <c>createGraph: true</c>, θ' is differentiable with respect to θ through g: MAML's inner loop.
/// </summary>
public static class DifferentiableSgd
{
    /// <summary>θ' = θ − α·g for each parameter; a null gradient (unused parameter) leaves it as is.</summary>
    public static Tensor[] Step(IReadOnlyList<Tensor> parameters, IReadOnlyList<Tensor?> gradients, double learningRate)
    {
        Check(parameters, gradients);
        var result = new Tensor[parameters.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = gradients[i] switch
            {
                null => parameters[i],

                // θ − α·g in one node (bit-identical to the composition below).
                { } g when g.DType == parameters[i].DType && g.Shape.SequenceEqual(parameters[i].Shape) => Functional.AddScaled(parameters[i], g, -learningRate),
                { } g => parameters[i] - (g * learningRate),
            };
        }

        return result;
    }

    /// <summary>θ' = θ − α⊙g with a learning-rate tensor per parameter (scalar or the parameter's shape): Meta-SGD.</summary>
    public static Tensor[] Step(IReadOnlyList<Tensor> parameters, IReadOnlyList<Tensor?> gradients, IReadOnlyList<Tensor> learningRates)
    {
        Check(parameters, gradients);
        ArgumentNullException.ThrowIfNull(learningRates);
        if (learningRates.Count != parameters.Count)
        {
            throw new ArgumentException($"{learningRates.Count} learning rates given for {parameters.Count} parameters.", nameof(learningRates));
        }

        var result = new Tensor[parameters.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = gradients[i] is { } g ? parameters[i] - (learningRates[i] * g) : parameters[i];
        }

        return result;
    }

    private static void Check(IReadOnlyList<Tensor> parameters, IReadOnlyList<Tensor?> gradients)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(gradients);
        if (gradients.Count != parameters.Count)
        {
            throw new ArgumentException($"{gradients.Count} gradients given for {parameters.Count} parameters.", nameof(gradients));
        }
    }
}
