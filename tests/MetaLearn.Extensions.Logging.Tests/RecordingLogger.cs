using Microsoft.Extensions.Logging;

namespace MetaLearn.Extensions.Logging.Tests;

/// <summary>An ILogger that keeps every entry (level, event id, structured state, message) at or above a minimum level.</summary>
internal sealed class RecordingLogger(LogLevel minimum) : ILogger
{
    public List<(LogLevel Level, EventId Event, IReadOnlyList<KeyValuePair<string, object?>> State, string Message)> Entries { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        Assert.True(IsEnabled(logLevel), $"{eventId} written at {logLevel}, which is not enabled.");
        var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? throw new InvalidOperationException($"State {typeof(TState)} is not structured.");
        lock (Entries)
        {
            Entries.Add((logLevel, eventId, [.. values], formatter(state, exception)));
        }
    }
}
