using MetaLearn.Tensors;

namespace MetaLearn.Optim;

/// <summary>Range checks of optimizer coefficients, with messages that name the coefficient.</summary>
internal static class OptimizerChecks
{
    /// <summary>Throws unless <paramref name="value"/> is finite and non-negative.</summary>
    public static void NonNegative(double value, string name)
    {
        if (!(value >= 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and non-negative.");
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is in [0, 1).</summary>
    public static void Beta(double value, string name)
    {
        if (!(value >= 0 && value < 1))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1).");
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and positive.</summary>
    public static void Positive(double value, string name)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and positive.");
        }
    }

    /// <summary>
    /// The optimizer a training loop's options describe: <paramref name="factory"/>'s over <paramref name="parameters"/>,
    /// or Adam at <paramref name="learningRate"/> when there is none.
    /// </summary>
    /// <exception cref="ArgumentException">The factory returned null.</exception>
    public static Optimizer Create(Func<IReadOnlyList<Tensor>, Optimizer>? factory, IReadOnlyList<Tensor> parameters, double learningRate, string owner)
        => factory is null
            ? new Adam(parameters, learningRate)
            : factory(parameters) ?? throw new ArgumentException($"{owner}.Optimizer returned null.", nameof(factory));
}
