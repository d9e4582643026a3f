using System.Globalization;
using MetaLearn.Data.Numpy;

namespace MetaLearn.Data.Images;

/// <summary>
/// tiered-ImageNet's <c>{split}_labels.pkl</c>: a dict with <c>label_specific</c> (each image's class), <c>label_general</c>
/// (its category, one of the 34 ImageNet high-level nodes) and, optionally, <c>label_specific_str</c> and
/// <c>label_general_str</c> (their names, indexed by label).
/// </summary>
internal static class TieredImageNetLabels
{
    /// <summary>The classes of the labels file, by label value: (category, name, image indices).</summary>
    public static List<(string Group, string Name, IReadOnlyList<int> Images)> Read(string file, string caller)
    {
        var root = PickleValue.Dict(PickleReader.Read(file), "the pickle", file);
        var specific = PickleValue.Integers(PickleValue.Item(root, "label_specific", file), "'label_specific'", file);
        var general = root.TryGetValue("label_general", out var value) ? PickleValue.Integers(value, "'label_general'", file) : null;
        var specificNames = root.TryGetValue("label_specific_str", out value) ? PickleValue.Texts(value, "'label_specific_str'", file) : null;
        var generalNames = root.TryGetValue("label_general_str", out value) ? PickleValue.Texts(value, "'label_general_str'", file) : null;
        if (general is not null && general.Length != specific.Length)
        {
            throw new InvalidDataException($"{caller}: '{file}' has {specific.Length} 'label_specific' but {general.Length} 'label_general'.");
        }

        var classes = new List<(string, string, IReadOnlyList<int>)>();
        foreach (var group in specific.Select((label, index) => (label, index)).GroupBy(p => p.label).OrderBy(g => g.Key))
        {
            int[] images = [.. group.Select(p => p.index)];
            long? category = general?[images[0]];
            if (general is not null && images.Any(i => general[i] != category))
            {
                throw new InvalidDataException($"{caller}: in '{file}' the images of class {group.Key} have more than one 'label_general'.");
            }

            classes.Add((category is null ? string.Empty : NameOf(category.Value, generalNames, "label_general_str", file, caller),
                NameOf(group.Key, specificNames, "label_specific_str", file, caller), images));
        }

        return classes;
    }

    private static string NameOf(long label, string[]? names, string key, string file, string caller)
    {
        if (names is null)
        {
            return label.ToString(CultureInfo.InvariantCulture);
        }

        return label >= 0 && label < names.Length ? names[label]
            : throw new InvalidDataException($"{caller}: '{file}' has the label {label} but '{key}' names only {names.Length}.");
    }
}
