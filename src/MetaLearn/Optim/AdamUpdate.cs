using MetaLearn.Tensors.Kernels.Simd;

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
internal readonly record struct AdamCoefficients(double LearningRate, double StepSize, double Beta1, double Beta2, double Correction2, double Epsilon, double Decay, bool Decoupled);

/// <summary>
/// The in-place Adam update in double precision on one vector width (<typeparamref name="TLanes"/>): whole vectors, then the
/// elements left over one by one. Both apply the same operations in the same order, so every element gets the same bits
/// whichever path (and whichever width) computes it.
/// </summary>
/// <typeparam name="TLanes">The double-precision vector operations of one width.</typeparam>
/// <typeparam name="TVector">That width's vector of doubles.</typeparam>
internal static class AdamUpdate<TLanes, TVector>
    where TLanes : ISimdLanes<TVector, double>
    where TVector : unmanaged
{
    /// <summary>Updates <paramref name="theta"/> and the moments <paramref name="m"/>, <paramref name="v"/> from <paramref name="grad"/>.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static unsafe void Run(Span<double> theta, ReadOnlySpan<double> grad, Span<double> m, Span<double> v, in AdamCoefficients coefficients)
    {
        if (grad.Length != theta.Length || m.Length != theta.Length || v.Length != theta.Length)
        {
            throw new ArgumentException($"adam: parameter, gradient and moment runs differ in length ({theta.Length}, {grad.Length}, {m.Length}, {v.Length}).", nameof(grad));
        }

        int j = 0;
        var decay = TLanes.Create(coefficients.Decay);
        var lrDecay = TLanes.Create(coefficients.LearningRate * coefficients.Decay);
        var beta1 = TLanes.Create(coefficients.Beta1);
        var beta2 = TLanes.Create(coefficients.Beta2);
        var oneMinusBeta1 = TLanes.Create(1 - coefficients.Beta1);
        var oneMinusBeta2 = TLanes.Create(1 - coefficients.Beta2);
        var step = TLanes.Create(coefficients.StepSize);
        var correction2 = TLanes.Create(coefficients.Correction2);
        var epsilon = TLanes.Create(coefficients.Epsilon);
        fixed (double* pt = theta)
        fixed (double* pg = grad)
        fixed (double* pm = m)
        fixed (double* pv = v)
        {
            for (; TLanes.IsHardwareAccelerated && j + TLanes.Count <= theta.Length; j += TLanes.Count)
            {
                var t = TLanes.Load(pt + j);
                var g = TLanes.Load(pg + j);
                if (coefficients.Decoupled)
                {
                    t = TLanes.Subtract(t, TLanes.Multiply(lrDecay, t));
                }
                else
                {
                    g = TLanes.Add(g, TLanes.Multiply(decay, t));
                }

                var mNew = TLanes.Add(TLanes.Multiply(beta1, TLanes.Load(pm + j)), TLanes.Multiply(oneMinusBeta1, g));
                var vNew = TLanes.Add(TLanes.Multiply(beta2, TLanes.Load(pv + j)), TLanes.Multiply(TLanes.Multiply(oneMinusBeta2, g), g));
                TLanes.Store(pm + j, mNew);
                TLanes.Store(pv + j, vNew);
                var denominator = TLanes.Add(TLanes.Sqrt(TLanes.Divide(vNew, correction2)), epsilon);
                TLanes.Store(pt + j, TLanes.Subtract(t, TLanes.Divide(TLanes.Multiply(step, mNew), denominator)));
            }
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
