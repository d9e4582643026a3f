using System.Collections;
using MetaLearn.Diagnostics;

namespace MetaLearn.Extensions.Logging;

/// <summary>A training log entry as Microsoft.Extensions.Logging's structured state: its values, then the template as <c>{OriginalFormat}</c>.</summary>
internal sealed class TrainingLogState(TrainingLogEntry entry) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => entry.Values.Count + 1;

    public KeyValuePair<string, object?> this[int index]
        => index == entry.Values.Count ? new("{OriginalFormat}", entry.MessageTemplate) : entry.Values[index];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (int i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => entry.Message();
}
