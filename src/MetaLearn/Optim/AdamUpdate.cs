using System.Numerics;

namespace MetaLearn.Optim;

/// <summary>The scalars of one Adam update of one parameter: the hyperparameters and the bias corrections for its step count.</summary>
/// <param name="LearningRate">α.</param>
/// <param name="StepSize">α / (1 − β₁ᵗ).</param>
/// <param name="Beta1">β₁.</param>
/// <param name="Beta2">β₂.</param>
/// <param name="Correction2">1 − β₂ᵗ.</param>
/// <param name="Epsilon">ε.</param>
/// <param name="Decay">λ, the weight decay.</param>
/// <param name="Decoupled">Whether the decay shrinks the weights (AdamW) rather than adding to the gradient.</param>
internal readonly record struct AdamCoefficients(double LearningRate, double StepSize, double Beta1, double Beta2, double Correction2, double Epsilon,
    double Decay, bool Decoupled);

/// <summary>
/// The in-place Adam update in double precision: whole <see cref="Vector{T}"/>s (the machine's preferred width: 256 bits with
/// AVX2, 128 with SSE or NEON), then the elements left over one by one. Both apply the same operations in the same order, so
/// every element gets the same bits whichever path computes it.
/// </summary>
internal static class AdamUpdate
{
    /// <summary>Updates <paramref name="theta"/> and the moments <paramref name="m"/>, <paramref name="v"/> from <paramref name="grad"/>.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static void Run(Span<double> theta, ReadOnlySpan<double> grad, Span<double> m, Span<double> v, in AdamCoefficients coefficients)
    {
        if (grad.Length != theta.Length || m.Length != theta.Length || v.Length != theta.Length)
        {
            throw new ArgumentException($"adam: parameter, gradient and moment runs differ in length ({theta.Length}, {grad.Length}, {m.Length}, "
                + $"{v.Length}).", nameof(grad));
        }

        int j = 0;
        var decay = new Vector<double>(coefficients.Decay);
        var lrDecay = new Vector<double>(coefficients.LearningRate * coefficients.Decay);
        var beta1 = new Vector<double>(coefficients.Beta1);
        var beta2 = new Vector<double>(coefficients.Beta2);
        var oneMinusBeta1 = new Vector<double>(1 - coefficients.Beta1);
        var oneMinusBeta2 = new Vector<double>(1 - coefficients.Beta2);
        var step = new Vector<double>(coefficients.StepSize);
        var correction2 = new Vector<double>(coefficients.Correction2);
        var epsilon = new Vector<double>(coefficients.Epsilon);
        for (; Vector.IsHardwareAccelerated && j + Vector<double>.Count <= theta.Length; j += Vector<double>.Count)
        {
            var t = new Vector<double>(theta[j..]);
            var g = new Vector<double>(grad[j..]);
            if (coefficients.Decoupled)
            {
                t -= lrDecay * t;
            }
            else
            {
                g += decay * t;
            }

            var mNew = (beta1 * new Vector<double>(m[j..])) + (oneMinusBeta1 * g);
            var vNew = (beta2 * new Vector<double>(v[j..])) + (oneMinusBeta2 * g * g);
            mNew.CopyTo(m[j..]);
            vNew.CopyTo(v[j..]);
            (t - (step * mNew / (Vector.SquareRoot(vNew / correction2) + epsilon))).CopyTo(theta[j..]);
        }

        for (; j < theta.Length; j++)
        {
            double t = theta[j];
            double g = grad[j];
            if (coefficients.Decoupled)
            {
                t -= coefficients.LearningRate * coefficients.Decay * t;
            }
            else
            {
                g += coefficients.Decay * t;
            }

            m[j] = (coefficients.Beta1 * m[j]) + ((1 - coefficients.Beta1) * g);
            v[j] = (coefficients.Beta2 * v[j]) + ((1 - coefficients.Beta2) * g * g);
            theta[j] = t - (coefficients.StepSize * m[j] / (Math.Sqrt(v[j] / coefficients.Correction2) + coefficients.Epsilon));
        }
    }
}
