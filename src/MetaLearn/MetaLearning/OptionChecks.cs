namespace MetaLearn.MetaLearning;

/// <summary>Checks of option values where they are set, with messages that name the option.</summary>
internal static class OptionChecks
{
    public static double NonNegative(double value, string name)
        => value >= 0 && !double.IsInfinity(value) ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and non-negative.");

    public static double Positive(double value, string name)
        => value > 0 && !double.IsInfinity(value) ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and positive.");

    public static int NonNegative(int value, string name)
        => value >= 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be non-negative.");

    public static int AtLeast(int value, int minimum, string name)
        => value >= minimum ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least {minimum}.");

    public static long AtLeast(long value, long minimum, string name)
        => value >= minimum ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least {minimum}.");

    public static IReadOnlyList<double> Rates(IReadOnlyList<double> rates, string name)
    {
        if (rates.Count == 0)
        {
            throw new ArgumentException($"{name} is empty.", name);
        }

        for (int i = 0; i < rates.Count; i++)
        {
            if (!(rates[i] >= 0) || double.IsInfinity(rates[i]))
            {
                throw new ArgumentOutOfRangeException(name, rates[i], $"{name}[{i}] must be finite and non-negative.");
            }
        }

        return [.. rates];
    }
}
