using MetaLearn.Tensors;

namespace MetaLearn.Transfer.Selection;

/// <summary>Builds the training pairs of a task metric from a known grouping or from measured transfer gains.</summary>
public static class TaskPairs
{
    /// <summary>Every pair of distinct tasks, similarity 1 when they share a group (same alphabet, same family) and 0 otherwise.</summary>
    /// <param name="tasks">Each task's example features.</param>
    /// <param name="groups">Each task's group.</param>
    /// <exception cref="ArgumentException">The counts differ or there are fewer than two tasks.</exception>
    public static IReadOnlyList<TaskPair> FromGroups(IReadOnlyList<Tensor> tasks, IReadOnlyList<int> groups)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(groups);
        if (tasks.Count != groups.Count || tasks.Count < 2)
        {
            throw new ArgumentException($"TaskPairs: {tasks.Count} tasks and {groups.Count} groups; need the same number, at least two.", nameof(groups));
        }

        var pairs = new List<TaskPair>();
        for (int i = 0; i < tasks.Count; i++)
        {
            for (int j = i + 1; j < tasks.Count; j++)
            {
                pairs.Add(new TaskPair(tasks[i], tasks[j], groups[i] == groups[j] ? 1 : 0));
            }
        }

        return pairs;
    }

    /// <summary>
    /// Every pair of distinct tasks labelled by measured transfer gain: <paramref name="gains"/>[i, j] is how much starting
    /// from task i's solution helps task j (e.g. the drop in j's query loss against learning from scratch). The pair's
    /// similarity is the mean of both directions' gains, ranked among all pairs and scaled to [0, 1] (ranks, so a few
    /// very large gains do not squash the rest).
    /// </summary>
    /// <exception cref="ArgumentException">The gain matrix is not tasks × tasks, holds a non-finite value, or there are fewer than two tasks.</exception>
    public static IReadOnlyList<TaskPair> FromGains(IReadOnlyList<Tensor> tasks, double[,] gains)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(gains);
        int n = tasks.Count;
        if (n < 2 || gains.GetLength(0) != n || gains.GetLength(1) != n)
        {
            throw new ArgumentException($"TaskPairs: gains [{gains.GetLength(0)}, {gains.GetLength(1)}] for {n} tasks; need [{n}, {n}] and at "
                + $"least two tasks.", nameof(gains));
        }

        var pairs = new List<(int I, int J, double Gain)>();
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                double gain = (gains[i, j] + gains[j, i]) / 2;
                if (!double.IsFinite(gain))
                {
                    throw new ArgumentException($"TaskPairs: the gain between tasks {i} and {j} is not finite.", nameof(gains));
                }

                pairs.Add((i, j, gain));
            }
        }

        var order = pairs.Select((p, k) => (p.Gain, k)).OrderBy(p => p.Gain).ThenBy(p => p.k).Select(p => p.k).ToArray();
        var rank = new double[pairs.Count];
        for (int r = 0; r < order.Length; r++)
        {
            rank[order[r]] = pairs.Count == 1 ? 1 : (double)r / (pairs.Count - 1);
        }

        return [.. pairs.Select((p, k) => new TaskPair(tasks[p.I], tasks[p.J], rank[k]))];
    }
}
