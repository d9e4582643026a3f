using System.Globalization;
using MetaLearn.Data;

namespace MetaLearn.TextEmbeddings;

/// <summary>
/// Labelled texts, such as user phrasings of assistant intents, read from a tab-separated file of "label&lt;TAB&gt;text" lines
/// (blank lines and lines starting with '#' are skipped). Labels become class ids 0..C−1 in order of first appearance.
/// </summary>
public sealed class TextDataset
{
    private readonly LabeledText[] _items;
    private readonly string[] _labels;

    /// <summary>Wraps <paramref name="items"/>.</summary>
    /// <exception cref="ArgumentException">No items, or an empty text or label.</exception>
    public TextDataset(IReadOnlyList<LabeledText> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            throw new ArgumentException("TextDataset: no items.", nameof(items));
        }

        for (int i = 0; i < items.Count; i++)
        {
            if (items[i] is null || string.IsNullOrWhiteSpace(items[i].Text) || string.IsNullOrWhiteSpace(items[i].Label))
            {
                throw new ArgumentException($"TextDataset: item {i} has an empty text or label.", nameof(items));
            }
        }

        _items = [.. items];
        _labels = [.. _items.Select(i => i.Label).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The items in file order.</summary>
    public IReadOnlyList<LabeledText> Items => _items;

    /// <summary>The distinct labels; label k is class id k.</summary>
    public IReadOnlyList<string> Labels => _labels;

    /// <summary>Reads a "label&lt;TAB&gt;text" file.</summary>
    /// <exception cref="InvalidDataException">A line has no tab, or an empty label or text; the message names the file and line.</exception>
    public static TextDataset Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var items = new List<LabeledText>();
        int number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line) || line.StartsWith('#'))
            {
                continue;
            }

            int tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab <= 0 || tab == line.Length - 1 || string.IsNullOrWhiteSpace(line[(tab + 1)..]))
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"TextDataset: '{path}' line {number} is not 'label<TAB>text'."));
            }

            items.Add(new LabeledText(line[(tab + 1)..].Trim(), line[..tab].Trim()));
        }

        return new TextDataset(items);
    }

    /// <summary>The class id of each item.</summary>
    public int[] ClassIds()
    {
        var index = _labels.Select((l, k) => (l, k)).ToDictionary(p => p.l, p => p.k, StringComparer.Ordinal);
        return [.. _items.Select(i => index[i.Label])];
    }

    /// <summary>The dataset as embeddings [N, D] with class ids, ready for <see cref="FewShotSampler"/>.</summary>
    public InMemoryDataset Embed(TextEmbedder embedder)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        return new InMemoryDataset(embedder.Embed([.. _items.Select(i => i.Text)]), ClassIds());
    }
}
