using ScottPlot;

namespace SineRegression;

/// <summary>The meta-training loss against meta-iterations, raw and as a running mean over 20 reports.</summary>
internal static class LearningCurveFigure
{
    public static string Write(string path, string method, IReadOnlyList<(long Iteration, double MetaLoss)> curve)
    {
        var points = curve.Where(p => double.IsFinite(p.MetaLoss)).ToArray();
        var xs = points.Select(p => (double)p.Iteration).ToArray();
        var losses = points.Select(p => p.MetaLoss).ToArray();
        var smoothed = new double[losses.Length];
        for (int i = 0; i < losses.Length; i++)
        {
            int from = Math.Max(0, i - 19);
            smoothed[i] = losses[from..(i + 1)].Average();
        }

        var plot = new Plot();
        plot.Title($"{method} on sine waves: meta-training loss");
        plot.XLabel("meta-iteration");
        plot.YLabel("meta-loss (query MSE after adaptation)");
        var raw = plot.Add.ScatterLine(xs, losses, Colors.LightSteelBlue);
        raw.LegendText = "meta-batch loss";
        var mean = plot.Add.ScatterLine(xs, smoothed, Colors.Navy);
        mean.LineWidth = 2;
        mean.LegendText = "running mean of 20";
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 800, 500);
        return path;
    }
}
