using System.Globalization;
using MetaLearn.MetaLearning;
using MetaLearn.Statistics;

namespace MultiAgentAdaptation;

/// <summary>Prints the curves and the source-selection comparison, and draws the figure.</summary>
internal static class Report
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Print(AgentWorld world, IReadOnlyList<MethodCurve> curves)
    {
        Console.WriteLine(string.Create(Inv, $"Newcomer {world.ErrorName} against {world.ExamplesName} (mean ± 95% interval over {curves[0].Errors[0].Length} newcomers, {world.FineTuneSteps} fine-tuning steps each):"));
        Console.WriteLine("  " + "method".PadRight(40) + string.Join("", world.ExamplesSeen.Select(k => $"k={k}".PadRight(17))));
        foreach (var curve in curves)
        {
            var cells = world.ExamplesSeen.Select((_, k) => curve.At(k)).Select(m => string.Create(Inv, $"{m.Mean:F3} ± {m.HalfWidth:F3}").PadRight(17));
            Console.WriteLine("  " + curve.Method.PadRight(40) + string.Concat(cells));
        }

        // Source selection: the learned metric's first choice against a random veteran and the fixed distance's choice,
        // as paired differences over the same newcomers.
        var random = curves[1];
        var learned = curves[2];
        var fixedChoice = curves[3];
        Console.WriteLine("  Source selection, paired over newcomers (positive: the learned metric's first choice has the lower error):");
        for (int k = 0; k < world.ExamplesSeen.Count; k++)
        {
            var overRandom = MeanInterval.Of([.. random.Errors[k].Zip(learned.Errors[k], (r, l) => r - l)]);
            var overFixed = MeanInterval.Of([.. fixedChoice.Errors[k].Zip(learned.Errors[k], (f, l) => f - l)]);
            Console.WriteLine(string.Create(Inv, $"    k={world.ExamplesSeen[k],-3} vs random {overRandom.Mean,7:F3} ± {overRandom.HalfWidth:F3}   vs mean-embedding choice {overFixed.Mean,7:F3} ± {overFixed.HalfWidth:F3}"));
            Console.WriteLine(string.Create(Inv, $"RESULT world={world.Name} k={world.ExamplesSeen[k]} scratch={curves[0].At(k).Mean:F4} random={random.At(k).Mean:F4} learned={learned.At(k).Mean:F4} fixed={fixedChoice.At(k).Mean:F4} meta={curves[4].At(k).Mean:F4} learned_gain_vs_random={overRandom.Mean:F4}±{overRandom.HalfWidth:F4} learned_gain_vs_fixed={overFixed.Mean:F4}±{overFixed.HalfWidth:F4}"));
        }
    }

    public static string Plot(AgentWorld world, IReadOnlyList<MethodCurve> curves, string directory)
    {
        var plot = new ScottPlot.Plot();
        double[] xs = [.. world.ExamplesSeen.Select(k => (double)k)];
        foreach (var curve in curves)
        {
            var means = world.ExamplesSeen.Select((_, k) => curve.At(k)).ToArray();
            var line = plot.Add.Scatter(xs, [.. means.Select(m => m.Mean)]);
            line.LegendText = curve.Method;
            line.LineWidth = 2;
            line.MarkerSize = 6;
            var bars = plot.Add.ErrorBar(xs, [.. means.Select(m => m.Mean)], [.. means.Select(m => m.HalfWidth)]);
            bars.Color = line.Color;
        }

        plot.Title($"Newcomer adaptation ({world.Name}): {world.ErrorName}");
        plot.XLabel(world.ExamplesName);
        plot.YLabel(world.ErrorName + " (mean, 95% interval)");
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"multi_agent_{world.Name}.png");
        plot.SavePng(path, 900, 560);
        return path;
    }
}
