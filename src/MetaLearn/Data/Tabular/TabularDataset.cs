using System.Globalization;
using MetaLearn.Tensors;

namespace MetaLearn.Data.Tabular;

/// <summary>
/// A few-shot dataset from a table: each row an example, one column its class (any text), the others its numeric
/// features, so a <see cref="FewShotSampler"/> draws N-way K-shot tasks of feature vectors [N·K, features] from it.
/// </summary>
/// <remarks>
/// Class ids are the class names in ordinal order (<see cref="ClassNames"/> maps them back). Nothing is scaled: features
/// on very different scales are best standardized with statistics of the training classes only, which this type cannot
/// know. Every value must be a finite number written with '.' as the decimal point (invariant culture).
/// </remarks>
public sealed class TabularDataset : ILabeledDataset
{
    private readonly InMemoryDataset _data;

    private TabularDataset(InMemoryDataset data, IReadOnlyList<string> featureNames, IReadOnlyList<string> classNames)
    {
        _data = data;
        FeatureNames = featureNames;
        ClassNames = classNames;
    }

    /// <summary>The feature columns' names, in the order of the input vector (column numbers "column 1", ... without a header).</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>The class names; class id i is <c>ClassNames[i]</c>.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <inheritdoc/>
    public int Count => _data.Count;

    /// <inheritdoc/>
    public IReadOnlyList<int> Classes => _data.Classes;

    /// <inheritdoc/>
    public IReadOnlyList<int> IndicesOf(int classId) => _data.IndicesOf(classId);

    /// <inheritdoc/>
    public Tensor GetInputs(IReadOnlyList<int> indices) => _data.GetInputs(indices);

    /// <summary>Reads a delimited text file (CSV by default).</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Header, class column and separator; null for the defaults.</param>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">
    /// A row with another number of fields, a feature that is not a finite number, or no rows; the message names the
    /// file, line and column.
    /// </exception>
    /// <exception cref="ArgumentException">No class column of that name or index, or no feature column.</exception>
    public static TabularDataset Load(string path, TabularOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"TabularDataset: no file at '{Path.GetFullPath(path)}'.", path);
        }

        using var reader = new StreamReader(path);
        return Read(reader, options, path);
    }

    /// <summary>Reads delimited text from <paramref name="reader"/>; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="InvalidDataException">A row with another number of fields, a feature that is not a finite number, or no rows.</exception>
    /// <exception cref="ArgumentException">No class column of that name or index, or no feature column.</exception>
    public static TabularDataset Read(TextReader reader, TabularOptions? options = null, string source = "table")
    {
        ArgumentNullException.ThrowIfNull(reader);
        options ??= new TabularOptions();
        int lineNumber = 0;
        string? NextLine()
        {
            string? line;
            do
            {
                line = reader.ReadLine();
                lineNumber++;
            }
            while (line is not null && line.Trim().Length == 0);
            return line;
        }

        string? first = NextLine();
        if (first is null)
        {
            throw new InvalidDataException($"TabularDataset: {source} is empty.");
        }

        var firstFields = CsvFields.Split(first, options.Separator, () => $"TabularDataset: {source}, line {lineNumber}");
        int columns = firstFields.Count;
        string[] names = options.HasHeader ? [.. firstFields] : [.. Enumerable.Range(1, columns).Select(c => $"column {c}")];
        int classColumn = ClassColumn(options, names, source);
        if (columns < 2)
        {
            throw new ArgumentException(
                $"TabularDataset: {source} has {columns} column; it needs the class column and at least one feature column.", nameof(reader));
        }

        var features = new List<float>();
        var labels = new List<string>();
        void Add(List<string> fields, int line)
        {
            if (fields.Count != columns)
            {
                throw new InvalidDataException($"TabularDataset: {source}, line {line} has {fields.Count} fields; the first line has {columns}.");
            }

            for (int c = 0; c < columns; c++)
            {
                if (c == classColumn)
                {
                    labels.Add(fields[c]);
                }
                else if (!float.TryParse(fields[c], NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || !float.IsFinite(value))
                {
                    throw new InvalidDataException($"TabularDataset: {source}, line {line}, column '{names[c]}': '{fields[c]}' is not a finite number.");
                }
                else
                {
                    features.Add(value);
                }
            }
        }

        if (!options.HasHeader)
        {
            Add(firstFields, lineNumber);
        }

        while (NextLine() is { } text)
        {
            int line = lineNumber;
            Add(CsvFields.Split(text, options.Separator, () => $"TabularDataset: {source}, line {line}"), line);
        }

        if (labels.Count == 0)
        {
            throw new InvalidDataException($"TabularDataset: {source} has a header and no rows.");
        }

        string[] classNames = [.. labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        var ids = classNames.Select((name, id) => (name, id)).ToDictionary(p => p.name, p => p.id, StringComparer.Ordinal);
        var inputs = Tensor.FromArray([.. features], labels.Count, columns - 1);
        return new TabularDataset(new InMemoryDataset(inputs, [.. labels.Select(l => ids[l])]), [.. names.Where((_, c) => c != classColumn)], classNames);
    }

    private static int ClassColumn(TabularOptions options, string[] names, string source)
    {
        if (options.ClassColumnIndex is int index)
        {
            return index >= 0 && index < names.Length ? index
                : throw new ArgumentException($"TabularDataset: ClassColumnIndex {index} is outside the {names.Length} columns of {source}.", nameof(options));
        }

        if (!options.HasHeader)
        {
            return names.Length - 1;
        }

        int found = Array.FindIndex(names, n => string.Equals(n, options.ClassColumn, StringComparison.Ordinal));
        return found >= 0 ? found
            : throw new ArgumentException($"TabularDataset: {source} has no column named '{options.ClassColumn}' (ClassColumn); its columns are "
                + $"{string.Join(", ", names.Select(n => $"'{n}'"))}.", nameof(options));
    }
}
