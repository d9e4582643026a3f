using MathNet.Numerics.Distributions;

namespace MetaLearn.Statistics;

/// <summary>
/// A sample mean with the half-width of its confidence interval from Student's t distribution, the right interval for the
/// small evaluation sets of few-shot learning (20 runs, a few hundred episodes), where the normal approximation is too narrow.
/// </summary>
/// <param name="Mean">The sample mean.</param>
/// <param name="HalfWidth">t(1 − (1 − confidence)/2, n − 1) · s/√n, with s the sample standard deviation (n − 1 in its denominator).</param>
/// <param name="Count">The number of values n.</param>
/// <param name="Confidence">The confidence level (0.95 for a 95% interval).</param>
/// <param name="StandardError">s/√n, the standard error of the mean.</param>
public sealed record MeanInterval(double Mean, double HalfWidth, int Count, double Confidence, double StandardError)
{
    /// <summary>The mean of <paramref name="values"/> with its Student-t interval at <paramref name="confidence"/>.</summary>
    /// <exception cref="ArgumentException">Fewer than two values, or a value that is not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="confidence"/> is not in (0, 1).</exception>
    public static MeanInterval Of(IReadOnlyList<double> values, double confidence = 0.95)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!(confidence > 0 && confidence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "MeanInterval: the confidence must be in (0, 1).");
        }

        if (values.Count < 2)
        {
            throw new ArgumentException($"MeanInterval: an interval needs at least 2 values, got {values.Count}.", nameof(values));
        }

        double mean = 0;
        for (int i = 0; i < values.Count; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException($"MeanInterval: value {i} is {values[i]}.", nameof(values));
            }

            mean += values[i];
        }

        mean /= values.Count;
        double squares = 0;
        foreach (double v in values)
        {
            squares += (v - mean) * (v - mean);
        }

        double standardError = Math.Sqrt(squares / (values.Count - 1)) / Math.Sqrt(values.Count);
        double t = StudentT.InvCDF(0, 1, values.Count - 1, 1 - ((1 - confidence) / 2));
        return new MeanInterval(mean, t * standardError, values.Count, confidence, standardError);
    }

    /// <summary>The lower end of the interval.</summary>
    public double Lower => Mean - HalfWidth;

    /// <summary>The upper end of the interval.</summary>
    public double Upper => Mean + HalfWidth;
}
