using System.Globalization;
using MetaLearn.Tensors;

namespace MetaLearn.Data;

/// <summary>
/// Samples N-way K-shot classification tasks from a labelled dataset: N classes drawn without replacement, and for
/// each K support and Q query examples drawn without replacement; labels are remapped to 0..N−1 in each task.
/// </summary>
public sealed class FewShotSampler : ITaskSource
{
    private readonly ILabeledDataset _dataset;
    private readonly int[] _classes;

    /// <summary>Creates the sampler over <paramref name="classes"/> of the dataset (all of them when null).</summary>
    /// <exception cref="ArgumentException">Fewer than <paramref name="ways"/> classes, or a class with fewer than shots + queries examples.</exception>
    public FewShotSampler(ILabeledDataset dataset, int ways, int shots, int queries, IReadOnlyList<int>? classes = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentOutOfRangeException.ThrowIfLessThan(ways, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(shots, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(queries, 1);
        _dataset = dataset;
        _classes = [.. classes ?? dataset.Classes];
        Ways = ways;
        Shots = shots;
        Queries = queries;
        if (_classes.Length < ways)
        {
            throw new ArgumentException($"FewShotSampler: {ways}-way tasks need at least {ways} classes; {_classes.Length} given.", nameof(ways));
        }

        if (_classes.Distinct().Count() != _classes.Length)
        {
            throw new ArgumentException("FewShotSampler: the class list has duplicates.", nameof(classes));
        }

        foreach (int c in _classes)
        {
            int available = dataset.IndicesOf(c).Count;
            if (available < shots + queries)
            {
                throw new ArgumentException($"FewShotSampler: class {c} has {available} examples; {shots} shots + {queries} queries need "
                    + $"{shots + queries}.", nameof(dataset));
            }
        }
    }

    /// <summary>N, classes per task.</summary>
    public int Ways { get; }

    /// <summary>K, support examples per class.</summary>
    public int Shots { get; }

    /// <summary>Q, query examples per class.</summary>
    public int Queries { get; }

    /// <inheritdoc/>
    public ITask Sample(Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var classes = (int[])_classes.Clone();
        PartialShuffle(generator, classes, Ways);
        var support = new List<int>(Ways * Shots);
        var query = new List<int>(Ways * Queries);
        var supportLabels = new int[Ways * Shots];
        var queryLabels = new int[Ways * Queries];
        for (int label = 0; label < Ways; label++)
        {
            var pool = _dataset.IndicesOf(classes[label]).ToArray();
            PartialShuffle(generator, pool, Shots + Queries);
            for (int i = 0; i < Shots; i++)
            {
                supportLabels[support.Count] = label;
                support.Add(pool[i]);
            }

            for (int i = 0; i < Queries; i++)
            {
                queryLabels[query.Count] = label;
                query.Add(pool[Shots + i]);
            }
        }

        var chosen = classes[..Ways];
        var name = string.Create(CultureInfo.InvariantCulture, $"{Ways}-way {Shots}-shot [{string.Join(", ", chosen)}]");
        return new LearningTask(
            Examples.Classification(_dataset.GetInputs(support), supportLabels),
            Examples.Classification(_dataset.GetInputs(query), queryLabels),
            new TaskMetadata(name, new Dictionary<string, double>(), chosen));
    }

    /// <summary>Moves a uniformly random choice of <paramref name="count"/> items, in random order, to the front.</summary>
    private static void PartialShuffle(Generator generator, int[] items, int count)
    {
        for (int i = 0; i < count; i++)
        {
            int j = i + generator.NextInt(items.Length - i);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
