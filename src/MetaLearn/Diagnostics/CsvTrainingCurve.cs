using System.Globalization;
using MetaLearn.MetaLearning;

namespace MetaLearn.Diagnostics;

/// <summary>
/// Writes a training run's progress reports as a CSV file with a header, the training curve any spreadsheet, pandas or
/// plotting tool reads: <c>iteration,elapsed_seconds,meta_loss,validation_loss,validation_accuracy,skipped_tasks</c>, one
/// row per report (an empty field where there is no value yet), flushed after every row so a running job's file can be
/// watched. Pass it as <see cref="MetaTrainer.Train"/>'s progress, optionally forwarding to another.
/// </summary>
public sealed class CsvTrainingCurve : IProgress<MetaTrainingProgress>, IDisposable
{
    /// <summary>The header line.</summary>
    public const string Header = "iteration,elapsed_seconds,meta_loss,validation_loss,validation_accuracy,skipped_tasks";

    private readonly StreamWriter _writer;
    private readonly IProgress<MetaTrainingProgress>? _next;
    private readonly Lock _gate = new();

    /// <summary>Creates (or replaces) the file at <paramref name="path"/> and writes the header.</summary>
    /// <param name="path">The CSV file; its folder is created when missing.</param>
    /// <param name="next">Another consumer every report is passed on to (a console printer, say), or null.</param>
    public CsvTrainingCurve(string path, IProgress<MetaTrainingProgress>? next = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        Path = path;
        _next = next;
        _writer = new StreamWriter(path, append: false) { NewLine = "\n" };
        _writer.WriteLine(Header);
        _writer.Flush();
    }

    /// <summary>The file written.</summary>
    public string Path { get; }

    /// <summary>Appends a row for <paramref name="value"/> and passes it on.</summary>
    public void Report(MetaTrainingProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            _writer.WriteLine(string.Join(
                ',',
                value.Iteration.ToString(CultureInfo.InvariantCulture),
                value.Elapsed.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture),
                Number(value.MetaLoss),
                Number(value.ValidationLoss),
                Number(value.ValidationAccuracy),
                value.SkippedTasks.ToString(CultureInfo.InvariantCulture)));
            _writer.Flush();
        }

        _next?.Report(value);
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _writer.Dispose();

    private static string Number(double? value) => value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : string.Empty;
}
