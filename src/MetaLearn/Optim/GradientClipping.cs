using System.Numerics;
using MetaLearn.Tensors;

namespace MetaLearn.Optim;

/// <summary>
/// Gradient clipping: rescaling all gradients together when their joint norm exceeds a bound (Pascanu et al., 2013,
/// "On the difficulty of training recurrent neural networks"), or clamping each element.
/// </summary>
/// <remarks>
/// The joint p-norm of gradients g₁…gₙ is ‖(g₁,…,gₙ)‖ₚ = (Σᵢ Σⱼ |gᵢⱼ|ᵖ)^{1/p}, or maxᵢⱼ |gᵢⱼ| for p = ∞. When it exceeds
/// the bound c, every gradient is multiplied by c/(‖g‖ + 10⁻⁶), exactly as <c>torch.nn.utils.clip_grad_norm_</c> does
/// (the 10⁻⁶ guards the division), so the direction of the update is kept and only its length is limited.
/// </remarks>
public static class GradientClipping
{
    /// <summary>Added to the norm in the scaling factor c/(‖g‖ + δ), as PyTorch does.</summary>
    public const double NormGuard = 1e-6;

    /// <summary>
    /// Rescales the accumulated <see cref="Tensor.Grad"/> of <paramref name="parameters"/> in place so that their joint
    /// norm is at most <paramref name="maxNorm"/>; parameters without a gradient are skipped.
    /// </summary>
    /// <remarks>The gradient tensors' data is overwritten, as PyTorch's in-place version does; for gradients that are part of a
    /// recorded graph (<c>createGraph: true</c>) use <see cref="ClipGradientsByNorm"/> instead.</remarks>
    /// <param name="parameters">The parameters whose gradients are clipped.</param>
    /// <param name="maxNorm">The bound c ≥ 0 (+∞ disables clipping but still reports the norm).</param>
    /// <param name="normType">p &gt; 0, or <see cref="double.PositiveInfinity"/> for the max norm.</param>
    /// <returns>The joint norm before clipping.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> or <paramref name="normType"/> is out of range.</exception>
    public static double ClipByNorm(IReadOnlyList<Tensor> parameters, double maxNorm, double normType = 2)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        CheckNormArguments(maxNorm, normType);
        var gradients = parameters.Where(p => p?.Grad is not null).Select(p => p.Grad!).ToList();
        double total = JointNorm(gradients, normType);
        Rescale(gradients, maxNorm, total);
        return total;
    }

    /// <summary>The joint p-norm of <paramref name="gradients"/>, accumulated in double precision.</summary>
    internal static double JointNorm(IReadOnlyList<Tensor> gradients, double normType = 2)
    {
        double accumulated = 0;
        foreach (var g in gradients)
        {
            double part = g.DType == DType.Float32 ? NormPart(g.AsSpan<float>(), normType) : NormPart(g.AsSpan<double>(), normType);
            accumulated = double.IsPositiveInfinity(normType) ? Math.Max(accumulated, part) : accumulated + part;
        }

        return FinishNorm(accumulated, normType);
    }

    /// <summary>Multiplies <paramref name="gradients"/> in place by c/(‖g‖ + 10⁻⁶) when that is below 1, ‖g‖ being <paramref name="total"/>.</summary>
    internal static void Rescale(IReadOnlyList<Tensor> gradients, double maxNorm, double total)
    {
        double coefficient = maxNorm / (total + NormGuard);
        if (coefficient < 1)
        {
            foreach (var g in gradients)
            {
                if (g.DType == DType.Float32)
                {
                    Scale(g.AsSpan<float>(), coefficient);
                }
                else
                {
                    Scale(g.AsSpan<double>(), coefficient);
                }
            }
        }
    }

    /// <summary>
    /// Returns <paramref name="gradients"/> rescaled so that their joint norm is at most <paramref name="maxNorm"/>, as new
    /// tensors built with tensor operations (differentiable, so usable inside a MAML inner loop); null entries stay null.
    /// </summary>
    /// <param name="gradients">The gradients (never modified).</param>
    /// <param name="maxNorm">The bound c ≥ 0.</param>
    /// <param name="normType">p &gt; 0, or <see cref="double.PositiveInfinity"/> for the max norm.</param>
    /// <returns>The clipped gradients, gᵢ·min(1, c/(‖g‖ + 10⁻⁶)), and the joint norm before clipping.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> or <paramref name="normType"/> is out of range.</exception>
    public static (Tensor?[] Gradients, double TotalNorm) ClipGradientsByNorm(IReadOnlyList<Tensor?> gradients, double maxNorm, double normType = 2)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        CheckNormArguments(maxNorm, normType);
        bool max = double.IsPositiveInfinity(normType);
        Tensor? accumulated = null;
        foreach (var g in gradients)
        {
            if (g is null)
            {
                continue;
            }

            // Per tensor: Σ|g|ᵖ (Σg² for p = 2, whose derivative is smooth at 0) or max|g|, reduced in float64.
            var part = max ? g.Abs().Max() : normType == 2 ? g.Square().Sum() : g.Abs().Pow(normType).Sum();
            if (part.DType != DType.Float64)
            {
                part = part.AsType(DType.Float64);
            }

            accumulated = accumulated is null ? part : max ? accumulated.Maximum(part) : accumulated + part;
        }

        var result = new Tensor?[gradients.Count];
        if (accumulated is null)
        {
            return (result, 0);
        }

        var total = max ? accumulated : normType == 2 ? accumulated.Sqrt() : accumulated.Pow(1 / normType);
        var coefficient = (maxNorm / (total + NormGuard)).Minimum(Tensor.Scalar(1, DType.Float64));
        for (int i = 0; i < result.Length; i++)
        {
            if (gradients[i] is { } g)
            {
                result[i] = g * (g.DType == DType.Float64 ? coefficient : coefficient.AsType(g.DType));
            }
        }

        return (result, total.Item());
    }

    /// <summary>Clamps every element of the accumulated <see cref="Tensor.Grad"/> of <paramref name="parameters"/> to [−c, c] in place; parameters
    /// without a gradient are skipped.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="clipValue"/> is negative or NaN.</exception>
    public static void ClipByValue(IReadOnlyList<Tensor> parameters, double clipValue)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        CheckClipValue(clipValue);
        foreach (var p in parameters)
        {
            if (p?.Grad is { } g)
            {
                if (g.DType == DType.Float32)
                {
                    Clamp(g.AsSpan<float>(), clipValue);
                }
                else
                {
                    Clamp(g.AsSpan<double>(), clipValue);
                }
            }
        }
    }

    /// <summary>Returns <paramref name="gradients"/> clamped elementwise to [−c, c] as new tensors (differentiable); null entries stay null.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="clipValue"/> is negative or NaN.</exception>
    public static Tensor?[] ClipGradientsByValue(IReadOnlyList<Tensor?> gradients, double clipValue)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        CheckClipValue(clipValue);
        var result = new Tensor?[gradients.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = gradients[i]?.Clamp(-clipValue, clipValue);
        }

        return result;
    }

    private static double NormPart<T>(ReadOnlySpan<T> values, double normType)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double result = 0;
        if (double.IsPositiveInfinity(normType))
        {
            foreach (var x in values)
            {
                result = Math.Max(result, Math.Abs(double.CreateTruncating(x)));
            }
        }
        else if (normType == 2)
        {
            foreach (var x in values)
            {
                double d = double.CreateTruncating(x);
                result += d * d;
            }
        }
        else
        {
            foreach (var x in values)
            {
                result += Math.Pow(Math.Abs(double.CreateTruncating(x)), normType);
            }
        }

        return result;
    }

    private static double FinishNorm(double accumulated, double normType) =>
        double.IsPositiveInfinity(normType) ? accumulated : normType == 2 ? Math.Sqrt(accumulated) : Math.Pow(accumulated, 1 / normType);

    private static void Scale<T>(Span<T> values, double factor)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int j = 0; j < values.Length; j++)
        {
            values[j] = T.CreateTruncating(double.CreateTruncating(values[j]) * factor);
        }
    }

    private static void Clamp<T>(Span<T> values, double limit)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var high = T.CreateTruncating(limit);
        var low = -high;
        for (int j = 0; j < values.Length; j++)
        {
            values[j] = T.Clamp(values[j], low, high);
        }
    }

    private static void CheckNormArguments(double maxNorm, double normType)
    {
        if (!(maxNorm >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "maxNorm must be non-negative.");
        }

        if (!(normType > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(normType), normType, "normType must be positive (or +infinity for the max norm).");
        }
    }

    private static void CheckClipValue(double clipValue)
    {
        if (!(clipValue >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(clipValue), clipValue, "clipValue must be non-negative.");
        }
    }
}
