namespace MetaLearn.MetaLearning;

/// <summary>
/// A choice of a model's parameters by name, owned by the learner that uses it: which parameters a meta-learner trains,
/// which its inner loop adapts (ANIL adapts only the head), which a transfer adapter fine-tunes. The model's tensors are
/// never changed to say so, so one model can serve several learners with different choices.
/// </summary>
public sealed class ParameterSelection
{
    private readonly Func<string, bool> _contains;

    private ParameterSelection(Func<string, bool> contains, string description)
    {
        _contains = contains;
        Description = description;
    }

    /// <summary>Every parameter.</summary>
    public static ParameterSelection All { get; } = new(_ => true, "all parameters");

    /// <summary>No parameter.</summary>
    public static ParameterSelection None { get; } = new(_ => false, "no parameter");

    /// <summary>What the selection is, for messages.</summary>
    public string Description { get; }

    /// <summary>The parameters whose dotted names start with one of <paramref name="prefixes"/> (e.g. "head." or "features.3.").</summary>
    /// <exception cref="ArgumentException">No prefix, or an empty one.</exception>
    public static ParameterSelection WithPrefix(params string[] prefixes)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        if (prefixes.Length == 0 || prefixes.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("ParameterSelection.WithPrefix: give at least one non-empty prefix.", nameof(prefixes));
        }

        string[] copy = [.. prefixes];
        return new ParameterSelection(name => copy.Any(p => name.StartsWith(p, StringComparison.Ordinal)),
            $"names starting with '{string.Join("', '", copy)}'");
    }

    /// <summary>The parameters named exactly as one of <paramref name="names"/>.</summary>
    public static ParameterSelection Named(params string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var set = new HashSet<string>(names, StringComparer.Ordinal);
        return new ParameterSelection(set.Contains, $"names '{string.Join("', '", names)}'");
    }

    /// <summary>The parameters whose name satisfies <paramref name="predicate"/>.</summary>
    public static ParameterSelection Where(Func<string, bool> predicate, string description = "a predicate")
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return new ParameterSelection(predicate, description);
    }

    /// <summary>The parameters in this selection and not in <paramref name="other"/>.</summary>
    public ParameterSelection Except(ParameterSelection other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new ParameterSelection(name => _contains(name) && !other._contains(name), $"{Description} except {other.Description}");
    }

    /// <summary>Whether the parameter named <paramref name="name"/> is selected.</summary>
    public bool Contains(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _contains(name);
    }

    /// <summary>A mask over <paramref name="names"/>: true where selected.</summary>
    public bool[] Mask(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var mask = new bool[names.Count];
        for (int i = 0; i < mask.Length; i++)
        {
            mask[i] = _contains(names[i]);
        }

        return mask;
    }

    /// <inheritdoc/>
    public override string ToString() => Description;
}
