using System.Globalization;
using MetaLearn.Statistics;

namespace AgentPopulation;

/// <summary>Prints the newcomers' curves with a RESULT line, and draws them.</summary>
internal static class Report
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Print(double[][][] errors)
    {
        Console.WriteLine(string.Create(Inv, $"Newcomer query MSE after {World.FineTuneSteps} fine-tuning steps against examples seen (mean ± 95% interval over {errors[0][0].Length} newcomers):"));
        Console.WriteLine("  " + "method".PadRight(40) + string.Concat(World.ExamplesSeen.Select(k => $"k={k}".PadRight(17))));
        for (int m = 0; m < errors.Length; m++)
        {
            var cells = errors[m].Select(e => MeanInterval.Of(e)).Select(i => string.Create(Inv, $"{i.Mean:F3} ± {i.HalfWidth:F3}").PadRight(17));
            Console.WriteLine("  " + Population.Methods[m].PadRight(40) + string.Concat(cells));
        }

        int five = Array.IndexOf(World.ExamplesSeen, 5);
        double Mean(int m) => MeanInterval.Of(errors[m][five]).Mean;
        Console.WriteLine(string.Create(Inv, $"RESULT k=5 scratch={Mean(0):F4} random_veteran={Mean(1):F4} similar_veteran={Mean(2):F4} meta_init={Mean(3):F4} meta_vs_scratch={Mean(0) / Mean(3):F2}x"));
    }

    public static string Plot(double[][][] errors, string directory)
    {
        var plot = new ScottPlot.Plot();
        double[] xs = [.. World.ExamplesSeen.Select(k => (double)k)];
        for (int m = 0; m < errors.Length; m++)
        {
            var intervals = errors[m].Select(e => MeanInterval.Of(e)).ToArray();
            var line = plot.Add.Scatter(xs, [.. intervals.Select(i => i.Mean)]);
            line.LegendText = Population.Methods[m];
            line.LineWidth = 2;
            var bars = plot.Add.ErrorBar(xs, [.. intervals.Select(i => i.Mean)], [.. intervals.Select(i => i.HalfWidth)]);
            bars.Color = line.Color;
        }

        plot.Title("Newcomer agents on an Orleans cluster: query MSE after fine-tuning");
        plot.XLabel("examples seen");
        plot.YLabel("query MSE (mean, 95% interval)");
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, "agent_population.png");
        plot.SavePng(path, 900, 560);
        return path;
    }
}
