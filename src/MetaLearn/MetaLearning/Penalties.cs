using MetaLearn.Tensors;

namespace MetaLearn.MetaLearning;

/// <summary>Ready-made <see cref="ParameterPenalty"/> functions.</summary>
public static class Penalties
{
    /// <summary>
    /// L2-SP (Li, Grandvalet &amp; Davoine, ICML 2018, "Explicit Inductive Bias for Transfer Learning with Convolutional
    /// Networks"): α/2·Σ‖w − w⁰‖² over the transferred parameters, pulling them toward the source weights w⁰ rather than
    /// toward 0, plus β/2·Σ‖w‖² over the others (a new head, which has no source weights).
    /// </summary>
    /// <param name="source">The source weights, one per model parameter; null marks a parameter with no source (decayed toward 0 with β).</param>
    /// <param name="alpha">α ≥ 0, the strength of the pull toward the source.</param>
    /// <param name="beta">β ≥ 0, ordinary weight decay of the parameters without a source.</param>
    /// <exception cref="ArgumentOutOfRangeException">A coefficient is negative or not finite.</exception>
    public static ParameterPenalty L2SP(IReadOnlyList<Tensor?> source, double alpha, double beta = 0)
    {
        ArgumentNullException.ThrowIfNull(source);
        CheckCoefficient(alpha, nameof(alpha));
        CheckCoefficient(beta, nameof(beta));
        Tensor?[] anchors = [.. source];
        using (Tensor.NoGrad())
        {
            for (int i = 0; i < anchors.Length; i++)
            {
                anchors[i] = anchors[i]?.Detach();
            }
        }

        return weights =>
        {
            ArgumentNullException.ThrowIfNull(weights);
            if (weights.Count != anchors.Length)
            {
                throw new ArgumentException($"L2SP: {weights.Count} weights for {anchors.Length} source entries.", nameof(weights));
            }

            Tensor? total = null;
            for (int i = 0; i < anchors.Length; i++)
            {
                Tensor term;
                if (anchors[i] is { } anchor)
                {
                    if (!anchor.Shape.SequenceEqual(weights[i].Shape))
                    {
                        throw new ArgumentException($"L2SP: weight {i} {Shapes.Format(weights[i].Shape)} does not match its source "
                            + $"{Shapes.Format(anchor.Shape)}.", nameof(weights));
                    }

                    if (alpha == 0)
                    {
                        continue;
                    }

                    term = (weights[i] - anchor).Square().Sum() * (alpha / 2);
                }
                else
                {
                    if (beta == 0)
                    {
                        continue;
                    }

                    term = weights[i].Square().Sum() * (beta / 2);
                }

                total = total is null ? term : total + term;
            }

            return total ?? Tensor.Zeros([], weights.Count > 0 ? weights[0].DType : DType.Float32);
        };
    }

    /// <summary>λ/2·Σ‖w‖² over every weight: weight decay as a loss term.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lambda"/> is negative or not finite.</exception>
    public static ParameterPenalty L2(double lambda)
    {
        CheckCoefficient(lambda, nameof(lambda));
        return weights =>
        {
            ArgumentNullException.ThrowIfNull(weights);
            Tensor? total = null;
            foreach (var w in weights)
            {
                var term = w.Square().Sum() * (lambda / 2);
                total = total is null ? term : total + term;
            }

            return total ?? throw new ArgumentException("L2: no weights.", nameof(weights));
        };
    }

    private static void CheckCoefficient(double value, string name)
    {
        if (!(value >= 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and non-negative.");
        }
    }
}
