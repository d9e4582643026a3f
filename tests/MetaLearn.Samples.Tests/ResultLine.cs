using System.Globalization;
using System.Text.RegularExpressions;

namespace MetaLearn.Samples.Tests;

/// <summary>A sample's RESULT lines: their key=value pairs, and figures written as "mean±half-width".</summary>
internal static partial class ResultLine
{
    /// <summary>The key=value pairs after <paramref name="prefix"/> on the last line of <paramref name="output"/> that starts with it.</summary>
    public static Dictionary<string, string> Last(string output, string prefix = "RESULT ")
    {
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))?.Trim()
            ?? throw new Xunit.Sdk.XunitException($"No line starting '{prefix}' in:\n{output}");
        return line[prefix.Length..].Split(' ').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
    }

    /// <summary>"87.20±1.50" as (87.20, 1.50); a value of another form fails the test.</summary>
    public static (double Mean, double HalfWidth) Figure(string value)
    {
        var match = FigurePattern().Match(value);
        Assert.True(match.Success, value);
        return (double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^([0-9.]+)±([0-9.]+|NaN)$")]
    private static partial Regex FigurePattern();
}
