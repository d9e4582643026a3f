using System.Globalization;

namespace SineRegression;

/// <summary>Command-line flags of the sample.</summary>
internal sealed record SampleOptions(long Iterations, ulong Seed, string OutputDirectory, bool Reptile, bool FirstOrder, int MetaBatch, int Shots)
{
    public static SampleOptions Parse(string[] args)
    {
        var options = new SampleOptions(Iterations: 15000, Seed: 1, OutputDirectory: "out", Reptile: false, FirstOrder: false, MetaBatch: 25, Shots: 10);
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--iterations" => options with { Iterations = Positive(long.Parse(Next(), CultureInfo.InvariantCulture), "--iterations") },
                "--seed" => options with { Seed = ulong.Parse(Next(), CultureInfo.InvariantCulture) },
                "--out" => options with { OutputDirectory = Next() },
                "--reptile" => options with { Reptile = true },
                "--first-order" => options with { FirstOrder = true },
                "--meta-batch" => options with { MetaBatch = (int)Positive(int.Parse(Next(), CultureInfo.InvariantCulture), "--meta-batch") },
                "--help" or "-h" => throw new ArgumentException(Usage),
                _ => throw new ArgumentException($"Unknown argument '{args[i]}'.\n{Usage}"),
            };
        }

        return options;
    }

    private const string Usage = "Usage: SineRegression [--iterations N] [--seed S] [--out DIR] [--reptile] [--first-order] [--meta-batch B]";

    private static long Positive(long value, string flag) => value > 0 ? value : throw new ArgumentException($"{flag} must be positive.");
}
