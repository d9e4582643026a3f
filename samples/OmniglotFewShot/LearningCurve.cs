using ScottPlot;

namespace OmniglotFewShot;

/// <summary>Collects the training loss and the validation accuracy during training and draws them with ScottPlot.</summary>
internal sealed class LearningCurve
{
    private readonly List<(double Iteration, double Loss)> _loss = [];
    private readonly List<(double Iteration, double Accuracy)> _validation = [];

    public IReadOnlyList<(double Iteration, double Accuracy)> Validation => _validation;

    public void AddLoss(long iteration, double loss)
    {
        if (double.IsFinite(loss))
        {
            _loss.Add((iteration, loss));
        }
    }

    public void AddValidation(long iteration, double accuracy)
    {
        if (_validation.Count == 0 || _validation[^1].Iteration != iteration)
        {
            _validation.Add((iteration, 100 * accuracy));
        }
    }

    /// <summary>Writes a PNG: the training loss (a running mean over 20 reports) on the left axis, validation accuracy on the right.</summary>
    public void Save(string path, string title)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel("meta-iteration");
        plot.YLabel("training loss (running mean)");
        if (_loss.Count > 0)
        {
            var xs = _loss.Select(p => p.Iteration).ToArray();
            var smoothed = new double[_loss.Count];
            for (int i = 0; i < smoothed.Length; i++)
            {
                int from = Math.Max(0, i - 19);
                smoothed[i] = _loss.Skip(from).Take(i - from + 1).Average(p => p.Loss);
            }

            var loss = plot.Add.ScatterLine(xs, smoothed);
            loss.LegendText = "training loss";
            loss.LineWidth = 2;
        }

        if (_validation.Count > 0)
        {
            var accuracy = plot.Add.Scatter(_validation.Select(p => p.Iteration).ToArray(), _validation.Select(p => p.Accuracy).ToArray());
            accuracy.LegendText = "validation accuracy (%)";
            accuracy.Axes.YAxis = plot.Axes.Right;
            accuracy.LineWidth = 2;
            accuracy.MarkerSize = 6;
            plot.Axes.Right.Label.Text = "validation accuracy (%)";
        }

        plot.ShowLegend(Alignment.MiddleRight);
        plot.SavePng(path, 900, 520);
    }
}
