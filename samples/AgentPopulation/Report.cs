using System.Globalization;
using MetaLearn.Statistics;

namespace AgentPopulation;

/// <summary>Prints the newcomers' curves with RESULT lines, and draws them.</summary>
internal static class Report
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Print(Population.Outcome outcome)
    {
        Table("First cohort", outcome.FirstCohort, Population.Methods);
        Table("Second cohort (after the first joined the population)", outcome.SecondCohort, Population.Rounds);

        // Paired over the same newcomers and draws: the difference's interval, not two overlapping ones, says who is better.
        // Pooled over the examples seen (each newcomer's mean difference across k), so one k's heavy tail does not decide it;
        // a pair in which either run diverged is left out (the tables count divergences).
        var first = outcome.FirstCohort;
        var second = outcome.SecondCohort;
        Gains("First cohort, paired gain of the meta-learned initialization over scratch", first, worse: 0, better: 3);
        Gains("Second cohort, paired gain of the newcomers' experience over the veterans-only round", second, worse: 1, better: 2);
        int five = Array.IndexOf(World.ExamplesSeen, 5);
        double Mean(double[][][] errors, int m) => errors[m][five].Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average();
        Console.WriteLine(string.Create(Inv, $"RESULT k=5 scratch={Mean(first, 0):F4} random_veteran={Mean(first, 1):F4} similar_veteran={Mean(first, 2):F4} meta_init={Mean(first, 3):F4} meta_vs_scratch={Mean(first, 0) / Mean(first, 3):F2}x meta_gain_all_k={Format(Pooled(first, 0, 3))}"));
        Console.WriteLine(string.Create(Inv, $"RESULT round2 k=5 round1={Mean(second, 0):F4} veterans_only={Mean(second, 1):F4} with_newcomers={Mean(second, 2):F4} newcomers_gain_all_k={Format(Pooled(second, 1, 2))}"));
    }

    /// <summary>Each newcomer's error from start <paramref name="worse"/> minus from <paramref name="better"/>, averaged over the examples seen: mean and interval.</summary>
    private static MeanInterval Pooled(double[][][] errors, int worse, int better)
        => MeanInterval.Of([.. Enumerable.Range(0, errors[0][0].Length).Select(c => Enumerable.Range(0, World.ExamplesSeen.Length).Average(k => errors[worse][k][c] - errors[better][k][c])).Where(double.IsFinite)]);

    public static IReadOnlyList<string> Plot(Population.Outcome outcome, string directory)
    {
        Directory.CreateDirectory(directory);
        return
        [
            Plot(outcome.FirstCohort, Population.Methods, "Newcomer agents on an Orleans cluster: query MSE after fine-tuning", Path.Combine(directory, "agent_population.png")),
            Plot(outcome.SecondCohort, Population.Rounds, "The next cohort: the newcomers' experience in the second round", Path.Combine(directory, "agent_population_rounds.png")),
        ];
    }

    private static void Table(string title, double[][][] errors, string[] names)
    {
        Console.WriteLine(string.Create(Inv, $"{title}: query MSE after {World.FineTuneSteps} fine-tuning steps against examples seen (mean ± 95% interval over {errors[0][0].Length} newcomers):"));
        Console.WriteLine("  " + "start".PadRight(42) + string.Concat(World.ExamplesSeen.Select(k => $"k={k}".PadRight(26))));
        for (int m = 0; m < errors.Length; m++)
        {
            Console.WriteLine("  " + names[m].PadRight(42) + string.Concat(errors[m].Select(e => Cell(e).PadRight(26))));
        }
    }

    private static void Gains(string title, double[][][] errors, int worse, int better)
    {
        var perK = Enumerable.Range(0, World.ExamplesSeen.Length).Select(k => MeanInterval.Of([.. errors[worse][k].Zip(errors[better][k], (a, b) => a - b).Where(double.IsFinite)]));
        Console.WriteLine(string.Create(Inv, $"  {title}: {string.Join(", ", perK.Select((g, k) => $"k={World.ExamplesSeen[k]} {Format(g)}"))}; all k {Format(Pooled(errors, worse, better))}"));
    }

    /// <summary>Mean and interval of the finite errors; a fine-tuning run that diverged (plain SGD from a veteran's sharp weights can) is counted, not averaged.</summary>
    private static string Cell(double[] errors)
    {
        var finite = errors.Where(double.IsFinite).ToArray();
        string diverged = finite.Length < errors.Length ? string.Create(Inv, $" ({errors.Length - finite.Length} diverged)") : "";
        return finite.Length > 1 ? Format(MeanInterval.Of(finite)) + diverged : "all diverged";
    }

    private static string Format(MeanInterval interval) => string.Create(Inv, $"{interval.Mean:F3}±{interval.HalfWidth:F3}");

    private static string Plot(double[][][] errors, string[] names, string title, string path)
    {
        var plot = new ScottPlot.Plot();
        double[] xs = [.. World.ExamplesSeen.Select(k => (double)k)];
        for (int m = 0; m < errors.Length; m++)
        {
            var finite = errors[m].Select(e => e.Where(double.IsFinite).ToArray()).ToArray();
            if (finite.Any(e => e.Length < 2))
            {
                continue; // diverged nearly everywhere: the table says so, the figure leaves it out
            }

            var intervals = finite.Select(e => MeanInterval.Of(e)).ToArray();
            var line = plot.Add.Scatter(xs, [.. intervals.Select(i => i.Mean)]);
            line.LegendText = names[m];
            line.LineWidth = 2;
            var bars = plot.Add.ErrorBar(xs, [.. intervals.Select(i => i.Mean)], [.. intervals.Select(i => i.HalfWidth)]);
            bars.Color = line.Color;
        }

        plot.Title(title);
        plot.XLabel("examples seen");
        plot.YLabel("query MSE (mean, 95% interval)");
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        plot.SavePng(path, 900, 560);
        return path;
    }
}
