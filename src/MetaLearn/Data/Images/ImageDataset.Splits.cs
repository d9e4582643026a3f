namespace MetaLearn.Data.Images;

/// <summary>Splits of an <see cref="ImageDataset"/> by group (by alphabet for Omniglot), never by drawer or image.</summary>
public sealed partial class ImageDataset
{
    /// <summary>
    /// The first <paramref name="trainGroups"/> groups (in <see cref="Groups"/> order) for training, the next
    /// <paramref name="validationGroups"/> for validation, and the rest for test; every rotation of a class goes
    /// where its group goes.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">No training group, or more groups asked for than there are.</exception>
    public ClassSplit SplitByGroup(int trainGroups, int validationGroups)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trainGroups, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(validationGroups);
        if (trainGroups + validationGroups > Groups.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(validationGroups), validationGroups,
                $"ImageDataset: {trainGroups} training + {validationGroups} validation groups, but '{Source}' has {Groups.Count}.");
        }

        return new ClassSplit(
            ClassesOfGroups(Groups.Take(trainGroups)),
            ClassesOfGroups(Groups.Skip(trainGroups).Take(validationGroups)),
            ClassesOfGroups(Groups.Skip(trainGroups + validationGroups)));
    }

    /// <summary>
    /// The classes of the named groups: <paramref name="train"/> for training, <paramref name="validation"/> for
    /// validation, and <paramref name="test"/> for test (every other group when null).
    /// </summary>
    /// <exception cref="ArgumentException">An unknown group, a group named twice, or no training group.</exception>
    public ClassSplit SplitByGroup(IEnumerable<string> train, IEnumerable<string> validation, IEnumerable<string>? test = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var trainList = CheckGroups(train, seen, nameof(train));
        var validationList = CheckGroups(validation, seen, nameof(validation));
        var testList = test is null ? [.. Groups.Where(g => !seen.Contains(g))] : CheckGroups(test, seen, nameof(test));
        if (trainList.Count == 0)
        {
            throw new ArgumentException("ImageDataset: no training group named.", nameof(train));
        }

        return new ClassSplit(ClassesOfGroups(trainList), ClassesOfGroups(validationList), ClassesOfGroups(testList));
    }

    /// <summary>The class ids whose group is one of <paramref name="groups"/>, ascending.</summary>
    public IReadOnlyList<int> ClassesOfGroups(IEnumerable<string> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var wanted = new HashSet<string>(groups, StringComparer.Ordinal);
        return [.. _classes.Where(c => wanted.Contains(_classInfo[c].Group))];
    }

    private List<string> CheckGroups(IEnumerable<string> groups, HashSet<string> seen, string name)
    {
        var list = groups.ToList();
        foreach (var group in list)
        {
            if (!Groups.Contains(group))
            {
                throw new ArgumentException($"ImageDataset: no group '{group}' in '{Source}'; it has {string.Join(", ", Groups)}.", name);
            }

            if (!seen.Add(group))
            {
                throw new ArgumentException($"ImageDataset: the group '{group}' is named twice in the split.", name);
            }
        }

        return list;
    }
}
