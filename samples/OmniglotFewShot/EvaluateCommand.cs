using MetaLearn.Data.OneShot;
using MetaLearn.MetaLearning;
using MetaLearn.Metric;
using Spectre.Console;

namespace OmniglotFewShot;

/// <summary>"evaluate": loads a checkpoint written by "train" and measures it on any alphabets (episodes and built runs) and on a runs folder or zip.</summary>
internal static class EvaluateCommand
{
    public static int Run(string checkpoint, string? data, IReadOnlyList<string>? alphabets, string? runsPath, int episodes, string output, bool transductive)
    {
        if (!File.Exists(checkpoint))
        {
            throw new FileNotFoundException($"No checkpoint at '{checkpoint}': run 'train' first (it writes METHOD.safetensors and METHOD.json in its --out folder).", checkpoint);
        }

        if (data is null && runsPath is null)
        {
            throw new ArgumentException("evaluate: give --data (an alphabets folder or zip) and/or --runs (a one-shot runs folder or zip).");
        }

        var s = RunSettings.Load(Path.ChangeExtension(checkpoint, ".json"));
        var learner = LearnerFactory.Create(s);
        MetaLearnerFile.Load(checkpoint, learner);
        if (transductive && learner is EmbeddingMetaLearner embedding)
        {
            embedding.PredictInEvaluationMode = false;
            embedding.Model.Train();
        }

        AnsiConsole.MarkupLine($"Loaded [blue]{Markup.Escape(checkpoint)}[/] ({s.Method}, {s.ImageSize} px, {s.Hidden} filters).");
        Directory.CreateDirectory(output);
        if (data is not null)
        {
            var dataset = Program.LoadOmniglot(data, s.ImageSize, rotations: false, output);
            var chosen = alphabets ?? dataset.Groups;
            var classes = OmniglotSplit.Upright(dataset, chosen);
            var figures = Evaluation.Episodes(learner, s, dataset, classes, episodes, seed: 2025);
            var built = Evaluation.BuiltRuns(data, alphabets, Path.Combine(output, "runs-" + Path.GetFileNameWithoutExtension(data) + (alphabets is null ? string.Empty : "-" + string.Join('+', alphabets))), s.ImageSize, seed: 2025);
            Evaluation.Print(s, $"{chosen.Count} alphabets of {data}", figures, Evaluation.Runs(learner, s, built), null);
        }

        if (runsPath is not null)
        {
            var runs = OneShotRuns.Load(runsPath, MetaLearn.Data.Images.ImageDecodeOptions.Omniglot(s.ImageSize));
            Evaluation.Print(s, runsPath, [], Evaluation.Runs(learner, s, runs), null);
        }

        return 0;
    }
}
