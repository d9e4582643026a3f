using System.Globalization;
using MetaLearn.Tensors;

namespace MetaLearn.Data;

/// <summary>
/// Samples balanced same/different pairs from the classes of a labelled dataset (one split of it), as tasks with
/// <see cref="PairExamples"/> support and query sets: what a Siamese network is trained on (Koch, Zemel and
/// Salakhutdinov, 2015).
/// </summary>
/// <remarks>
/// Each set has exactly as many same pairs as different ones, in a shuffled order. A same pair is a class drawn
/// uniformly from the sampler's classes and two distinct examples of it; a different pair is two distinct classes drawn
/// uniformly and one example of each. Only the classes given are ever used, so samplers over the classes of different
/// splits never share an example. With a grouping (Omniglot's alphabets, say), the second class of a different pair is
/// drawn from the first class's group instead: the hard negatives of Koch et al.'s within-alphabet verification, the
/// setting of Lake et al.'s within-alphabet one-shot runs. A class alone in its group falls back to any other class.
/// </remarks>
public sealed class PairSampler : ITaskSource
{
    private readonly ILabeledDataset _dataset;
    private readonly int[] _classes;

    /// <summary>For each position in <see cref="_classes"/>, the positions of the other classes of its group; null without a grouping.</summary>
    private readonly int[][]? _groupMates;

    /// <summary>Creates the sampler over <paramref name="classes"/> of the dataset (all of them when null).</summary>
    /// <param name="dataset">Where the examples come from.</param>
    /// <param name="supportPairs">Pairs in each task's support set; even (half same, half different) and at least 2.</param>
    /// <param name="queryPairs">Pairs in each task's query set; even and at least 2.</param>
    /// <param name="classes">The class ids pairs are drawn from (a split's classes); every class of the dataset when null.</param>
    /// <param name="groupOf">
    /// The group of a class id (its alphabet): different pairs are then two classes of one group (hard negatives); null
    /// draws the two classes from all of them.
    /// </param>
    /// <exception cref="ArgumentException">Odd pair counts, fewer than two classes, duplicates, or a class with fewer than two examples.</exception>
    public PairSampler(ILabeledDataset dataset, int supportPairs, int queryPairs, IReadOnlyList<int>? classes = null, Func<int, string>? groupOf = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        CheckCount(supportPairs, nameof(supportPairs));
        CheckCount(queryPairs, nameof(queryPairs));
        _dataset = dataset;
        _classes = [.. classes ?? dataset.Classes];
        if (_classes.Length < 2)
        {
            throw new ArgumentException($"PairSampler: different pairs need at least 2 classes; {_classes.Length} given.", nameof(classes));
        }

        if (_classes.Distinct().Count() != _classes.Length)
        {
            throw new ArgumentException("PairSampler: the class list has duplicates.", nameof(classes));
        }

        foreach (int c in _classes)
        {
            int available = dataset.IndicesOf(c).Count;
            if (available < 2)
            {
                throw new ArgumentException($"PairSampler: class {c} has {available} example(s); a same pair needs 2.", nameof(dataset));
            }
        }

        SupportPairs = supportPairs;
        QueryPairs = queryPairs;
        if (groupOf is not null)
        {
            var groups = _classes.Select(c => groupOf(c) ?? throw new ArgumentException($"PairSampler: the grouping gave no group for class {c}.", nameof(groupOf))).ToArray();
            var byGroup = Enumerable.Range(0, _classes.Length).GroupBy(i => groups[i], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
            _groupMates = [.. Enumerable.Range(0, _classes.Length).Select(i => byGroup[groups[i]].Where(j => j != i).ToArray())];
        }
    }

    /// <summary>Whether different pairs are drawn within a group (hard negatives).</summary>
    public bool NegativesWithinGroup => _groupMates is not null;

    /// <summary>Pairs in each support set (half same, half different).</summary>
    public int SupportPairs { get; }

    /// <summary>Pairs in each query set (half same, half different).</summary>
    public int QueryPairs { get; }

    /// <summary>The class ids pairs are drawn from.</summary>
    public IReadOnlyList<int> Classes => _classes;

    /// <inheritdoc/>
    /// <returns>A task whose support and query are <see cref="PairExamples"/>; its metadata lists the classes used.</returns>
    public ITask Sample(Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var used = new SortedSet<int>();
        var support = Pairs(generator, SupportPairs, used);
        var query = Pairs(generator, QueryPairs, used);
        var name = string.Create(CultureInfo.InvariantCulture, $"{SupportPairs}+{QueryPairs} balanced pairs over {used.Count} classes");
        return new LearningTask(support, query, new TaskMetadata(name, new Dictionary<string, double>(), [.. used]));
    }

    private PairExamples Pairs(Generator generator, int count, SortedSet<int> used)
    {
        var first = new int[count];
        var second = new int[count];
        var same = new bool[count];
        for (int i = 0; i < count; i++)
        {
            same[i] = i < count / 2;
        }

        generator.Shuffle<bool>(same);
        for (int i = 0; i < count; i++)
        {
            if (same[i])
            {
                int c = _classes[generator.NextInt(_classes.Length)];
                var pool = _dataset.IndicesOf(c);
                int a = generator.NextInt(pool.Count);
                int b = generator.NextInt(pool.Count - 1);
                first[i] = pool[a];
                second[i] = pool[b >= a ? b + 1 : b];
                used.Add(c);
            }
            else
            {
                int a = generator.NextInt(_classes.Length);
                int c1 = _classes[a];
                int c2;
                if (_groupMates?[a] is { Length: > 0 } mates)
                {
                    c2 = _classes[mates[generator.NextInt(mates.Length)]];
                }
                else
                {
                    int b = generator.NextInt(_classes.Length - 1);
                    c2 = _classes[b >= a ? b + 1 : b];
                }

                var pool1 = _dataset.IndicesOf(c1);
                var pool2 = _dataset.IndicesOf(c2);
                first[i] = pool1[generator.NextInt(pool1.Count)];
                second[i] = pool2[generator.NextInt(pool2.Count)];
                used.Add(c1);
                used.Add(c2);
            }
        }

        return Examples.Pairs(_dataset.GetInputs(first), _dataset.GetInputs(second), same);
    }

    private static void CheckCount(int count, string name)
    {
        if (count < 2 || count % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(name, count, "PairSampler: a balanced set needs an even number of pairs, at least 2.");
        }
    }
}
