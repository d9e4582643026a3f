using System.Globalization;
using System.Text;

namespace MetaLearn.Diagnostics;

/// <summary>
/// One structured log entry of a training run: a message template with named holes (<c>"Iteration {Iteration}: meta-loss
/// {MetaLoss}"</c>, the convention of Microsoft.Extensions.Logging) and the value of each hole, so a logger can keep the
/// values as fields and not only as text.
/// </summary>
public sealed class TrainingLogEntry
{
    /// <summary>Creates an entry.</summary>
    /// <param name="level">How important it is.</param>
    /// <param name="event">What it reports (also its event id).</param>
    /// <param name="messageTemplate">The message with a <c>{Name}</c> hole for each value.</param>
    /// <param name="values">The values, by hole name, in the template's order.</param>
    public TrainingLogEntry(TrainingLogLevel level, TrainingEvent @event, string messageTemplate, IReadOnlyList<KeyValuePair<string, object?>> values)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageTemplate);
        ArgumentNullException.ThrowIfNull(values);
        Level = level;
        Event = @event;
        MessageTemplate = messageTemplate;
        Values = values;
    }

    /// <summary>How important the entry is.</summary>
    public TrainingLogLevel Level { get; }

    /// <summary>What the entry reports; <c>(int)Event</c> is its event id.</summary>
    public TrainingEvent Event { get; }

    /// <summary>The message with <c>{Name}</c> holes.</summary>
    public string MessageTemplate { get; }

    /// <summary>The value of each hole, in the template's order.</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Values { get; }

    /// <summary>The message with every hole filled (numbers in the invariant culture; a hole with no value is left as it is).</summary>
    public string Message()
    {
        var text = new StringBuilder(MessageTemplate.Length + 32);
        int i = 0;
        while (i < MessageTemplate.Length)
        {
            int open = MessageTemplate.IndexOf('{', i);
            int close = open < 0 ? -1 : MessageTemplate.IndexOf('}', open);
            if (close < 0)
            {
                text.Append(MessageTemplate, i, MessageTemplate.Length - i);
                break;
            }

            text.Append(MessageTemplate, i, open - i);
            string name = MessageTemplate[(open + 1)..close];
            int found = -1;
            for (int v = 0; v < Values.Count && found < 0; v++)
            {
                found = Values[v].Key == name ? v : -1;
            }

            text.Append(found >= 0 ? Format(Values[found].Value) : MessageTemplate[open..(close + 1)]);
            i = close + 1;
        }

        return text.ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Level} {Event}: {Message()}";

    private static string Format(object? value) => value switch
    {
        null => "(none)",
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
