using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.Tensors;
using ScottPlot;

namespace SineRegression;

/// <summary>The figure of Finn et al. (2017), Fig. 2: a new sine task, the learner before adaptation, after 1 and 10 steps on K points.</summary>
internal static class SineFigure
{
    public static string Write(string path, string title, IMetaLearner learner, ulong seed, int shots)
    {
        var distribution = new SineTaskDistribution(shots, 1);
        var task = distribution.Sample(new Generator(seed));
        double amplitude = task.Metadata.Parameters["amplitude"];
        double phase = task.Metadata.Parameters["phase"];
        var xs = Enumerable.Range(0, 201).Select(i => -5.0 + (i * 0.05)).ToArray();
        var dense = distribution.Evaluate(amplitude, phase, xs);

        var adapted = learner.CreateLearner();
        adapted.Condition(task.Support);
        var before = adapted.Predict(dense.Inputs).ToDoubleArray();
        adapted.Adapt(1);
        var oneStep = adapted.Predict(dense.Inputs).ToDoubleArray();
        adapted.Adapt(9);
        var tenSteps = adapted.Predict(dense.Inputs).ToDoubleArray();

        var plot = new Plot();
        plot.Title($"{title}, K={shots}");
        plot.XLabel("x");
        plot.YLabel("y");
        Line(plot, xs, dense.Targets.ToDoubleArray(), Colors.Red, "ground truth", LinePattern.Solid);
        Line(plot, xs, before, Colors.Green, "pre-update", LinePattern.Dashed);
        Line(plot, xs, oneStep, Colors.Blue, "1 grad step", LinePattern.Solid);
        Line(plot, xs, tenSteps, Colors.Orange, "10 grad steps", LinePattern.Solid);
        var points = plot.Add.ScatterPoints(task.Support.Inputs.ToDoubleArray(), ((RegressionExamples)task.Support).Targets.ToDoubleArray(), Colors.Purple);
        points.MarkerSize = 10;
        points.LegendText = "used for grad";
        plot.Axes.SetLimitsX(-5, 5);
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, 800, 500);
        return path;
    }

    private static void Line(Plot plot, double[] xs, double[] ys, Color color, string label, LinePattern pattern)
    {
        var line = plot.Add.ScatterLine(xs, ys, color);
        line.LineWidth = 2;
        line.LinePattern = pattern;
        line.LegendText = label;
    }
}
