namespace MetaLearn.Benchmarks.Workloads;

/// <summary>Median and percentiles as the peer computes them (linear interpolation between order statistics).</summary>
internal static class Statistics
{
    public static double Median(IReadOnlyList<double> values) => Percentile(values, 0.5);

    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        double position = p * (sorted.Length - 1);
        int low = (int)Math.Floor(position), high = (int)Math.Ceiling(position);
        return sorted[low] + ((sorted[high] - sorted[low]) * (position - low));
    }

    public static double Round(double value, int digits = 4) => Math.Round(value, digits);
}
