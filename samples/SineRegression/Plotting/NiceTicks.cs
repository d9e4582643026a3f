using System.Globalization;

namespace SineRegression.Plotting;

/// <summary>Axis tick placement on "nice" numbers (1, 2 or 5 times a power of ten) and tick label formatting.</summary>
internal static class NiceTicks
{
    /// <summary>The nice step for showing about <paramref name="targetCount"/> intervals over [min, max].</summary>
    public static double Step(double min, double max, double targetCount)
    {
        var rough = (max - min) / Math.Max(1.0, targetCount);
        if (!(rough > 0) || !double.IsFinite(rough))
        {
            return 1.0;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var normalized = rough / magnitude;
        var nice = normalized < 1.5 ? 1.0 : normalized < 3.0 ? 2.0 : normalized < 7.0 ? 5.0 : 10.0;
        return nice * magnitude;
    }

    /// <summary>All multiples of <paramref name="step"/> within [min, max] (with a tiny tolerance), at most 200.</summary>
    public static double[] Values(double min, double max, double step)
    {
        var ticks = new List<double>();
        var eps = step * 1e-9;
        var first = Math.Ceiling((min - eps) / step);
        for (var k = 0; k < 200; k++)
        {
            var v = (first + k) * step;
            if (v > max + eps)
            {
                break;
            }

            ticks.Add(Math.Abs(v) < eps ? 0.0 : v);
        }

        return [.. ticks];
    }

    /// <summary>Formats a tick value with just enough decimals for <paramref name="step"/>.</summary>
    public static string Format(double value, double step)
    {
        var decimals = Math.Clamp((int)-Math.Floor(Math.Log10(step) + 1e-9), 0, 12);
        var abs = Math.Abs(value);
        if (abs != 0 && (abs >= 1e7 || abs < 1e-6))
        {
            return value.ToString("0.###e0", CultureInfo.InvariantCulture);
        }

        return value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }
}
