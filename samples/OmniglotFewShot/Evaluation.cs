using System.Globalization;
using MetaLearn.Data;
using MetaLearn.Data.Images;
using MetaLearn.Data.OneShot;
using MetaLearn.Evaluation;
using MetaLearn.MetaLearning;
using MetaLearn.Statistics;
using Spectre.Console;

namespace OmniglotFewShot;

/// <summary>Scores a trained meta-learner: N-way K-shot episodes on some alphabets, and Lake et al.'s within-alphabet runs.</summary>
internal static class Evaluation
{
    /// <summary>The settings of the episodes measured: 5-way 1-shot, 5-way 5-shot and 20-way 1-shot.</summary>
    private static readonly (int Ways, int Shots)[] Settings = [(5, 1), (5, 5), (20, 1)];

    /// <summary>Accuracy over <paramref name="episodes"/> random episodes (5 queries per class) of each setting; a fixed-way network only gets its own way count.</summary>
    public static List<(string Name, MeanInterval Accuracy)> Episodes(IMetaLearner learner, RunSettings s, ImageDataset dataset, IReadOnlyList<int> classes, int episodes, ulong seed)
    {
        var figures = new List<(string, MeanInterval)>();
        foreach (var (ways, shots) in Settings)
        {
            string name = string.Create(CultureInfo.InvariantCulture, $"{ways}-way {shots}-shot");
            if (s.FixedWays && ways != s.TrainWays)
            {
                AnsiConsole.MarkupLine($"[grey]{name}: skipped, this {s.Method} network has a {s.TrainWays}-way head (train another with --ways {ways}).[/]");
                continue;
            }

            if (classes.Count < ways)
            {
                AnsiConsole.MarkupLine($"[grey]{name}: skipped, only {classes.Count} classes.[/]");
                continue;
            }

            var tasks = new FewShotSampler(dataset, ways, shots, queries: 5, classes);
            var row = MetaEvaluator.Evaluate(learner.CreateLearner, tasks, episodes, [s.TestSteps], seed)[0];
            figures.Add((name, row.Accuracy!));
        }

        return figures;
    }

    /// <summary>Accuracy on one-shot runs, the learner conditioned on each run's training images (and adapted for the test steps).</summary>
    public static OneShotEvaluation? Runs(IMetaLearner learner, RunSettings s, IReadOnlyList<OneShotRun> runs)
    {
        if (s.FixedWays && runs.Any(r => r.Ways != s.TrainWays))
        {
            AnsiConsole.MarkupLine($"[grey]runs: skipped, this {s.Method} network has a {s.TrainWays}-way head and the runs are {runs[0].Ways}-way.[/]");
            return null;
        }

        return OneShotEvaluator.Evaluate(learner.CreateLearner, runs, s.TestSteps);
    }

    /// <summary>Prints the figures as a table and as one RESULT line for scripts.</summary>
    public static void Print(RunSettings s, string where, List<(string Name, MeanInterval Accuracy)> episodes, OneShotEvaluation? runs, TimeSpan? training)
    {
        var table = new Table().Title($"{s.Method} on {Markup.Escape(where)}").AddColumn("task").AddColumn("accuracy (95% interval)").AddColumn("count");
        var result = new List<string> { $"method={s.Method.ToString().ToLowerInvariant()}{(s.MamlPlusPlus ? "++" : string.Empty)}" };
        if (training is { } t)
        {
            result.Add(string.Create(CultureInfo.InvariantCulture, $"train_s={t.TotalSeconds:F0}"));
        }

        foreach (var (name, accuracy) in episodes)
        {
            table.AddRow(name, string.Create(CultureInfo.InvariantCulture, $"{100 * accuracy.Mean:F2}% ± {100 * accuracy.HalfWidth:F2}"), $"{accuracy.Count} episodes");
            result.Add(string.Create(CultureInfo.InvariantCulture, $"{name.Replace("-way ", "w", StringComparison.Ordinal).Replace("-shot", "s", StringComparison.Ordinal)}={100 * accuracy.Mean:F2}±{100 * accuracy.HalfWidth:F2}"));
        }

        if (runs is not null)
        {
            table.AddRow("20-way within-alphabet runs", string.Create(CultureInfo.InvariantCulture, $"{100 * runs.Accuracy:F2}% ± {100 * runs.Confidence95:F2}"), $"{runs.Runs.Count} runs, {runs.Correct}/{runs.Total}");
            result.Add(string.Create(CultureInfo.InvariantCulture, $"runs={100 * runs.Accuracy:F2}±{100 * runs.Confidence95:F2}"));
        }

        AnsiConsole.Write(table);
        Console.WriteLine("RESULT " + string.Join(' ', result));
    }

    /// <summary>Builds 20 within-alphabet runs from <paramref name="alphabets"/> of the data into <paramref name="folder"/> (kept for reuse) and loads them.</summary>
    public static IReadOnlyList<OneShotRun> BuiltRuns(string data, IReadOnlyList<string>? alphabets, string folder, int imageSize, ulong seed)
    {
        if (!Directory.Exists(folder) || !Directory.EnumerateFileSystemEntries(folder).Any())
        {
            OneShotRunBuilder.Build(data, folder, new OneShotRunBuildOptions { Alphabets = alphabets, Seed = seed });
            AnsiConsole.MarkupLine($"Built 20 within-alphabet 20-way runs in [blue]{Markup.Escape(folder)}[/].");
        }

        return OneShotRuns.Load(folder, ImageDecodeOptions.Omniglot(imageSize));
    }
}
