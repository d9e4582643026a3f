using MetaLearn.Diagnostics;
using Microsoft.Extensions.Logging;

namespace MetaLearn.Extensions.Logging;

/// <summary>
/// An <see cref="ITrainingLog"/> that writes to an <see cref="ILogger"/>: each entry at its level
/// (<see cref="TrainingLogLevel.Debug"/>, <see cref="TrainingLogLevel.Information"/>, <see cref="TrainingLogLevel.Warning"/>),
/// with <see cref="EventId"/> (<c>(int)TrainingEvent</c>, its name) and the values as structured state, the message
/// template under <c>{OriginalFormat}</c> as LoggerMessage does, so Serilog, OpenTelemetry or the console formatter
/// keep the fields.
/// </summary>
/// <param name="logger">The logger written to.</param>
public sealed class LoggerTrainingLog(ILogger logger) : ITrainingLog
{
    private readonly ILogger _logger = logger ?? throw new ArgumentNullException(nameof(logger));

    /// <inheritdoc/>
    public bool IsEnabled(TrainingLogLevel level) => _logger.IsEnabled(Level(level));

    /// <inheritdoc/>
    public void Write(TrainingLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var level = Level(entry.Level);
        if (_logger.IsEnabled(level))
        {
            _logger.Log(level, new EventId((int)entry.Event, entry.Event.ToString()), new TrainingLogState(entry), null, static (state, _) => state.ToString());
        }
    }

    private static LogLevel Level(TrainingLogLevel level) => level switch
    {
        TrainingLogLevel.Debug => LogLevel.Debug,
        TrainingLogLevel.Information => LogLevel.Information,
        _ => LogLevel.Warning,
    };
}
