using System.Globalization;
using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.Tensors;
using SineRegression.Plotting;

namespace SineRegression;

/// <summary>The figure of Finn et al. (2017), Fig. 2: a new sine task, the learner before adaptation, after 1 and 10 steps on K points.</summary>
internal static class SineFigure
{
    public static string Write(string folder, string fileName, string title, IMetaLearner learner, ulong seed, int shots)
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

        var plot = new LinePlot(800, 500)
        {
            Title = string.Create(CultureInfo.InvariantCulture, $"{title}, K={shots}"),
            XLabel = "x",
            YLabel = "y",
            LegendPosition = LegendPosition.LowerRight,
        };
        plot.SetXRange(-5, 5);
        plot.AddLine(xs, dense.Targets.ToDoubleArray(), Rgb.Red, "ground truth", width: 2);
        plot.AddLine(xs, before, Rgb.Green, "pre-update", 2, LineStyle.Dashed);
        plot.AddLine(xs, oneStep, Rgb.Blue, "1 grad step", 2);
        plot.AddLine(xs, tenSteps, Rgb.Orange, "10 grad steps", 2);
        plot.AddScatter(task.Support.Inputs.ToDoubleArray(), ((RegressionExamples)task.Support).Targets.ToDoubleArray(), Rgb.Purple, "used for grad", markerRadius: 5);
        string path = Path.Combine(folder, fileName);
        plot.Save(path);
        return path;
    }
}
