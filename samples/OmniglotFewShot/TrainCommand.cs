using System.Diagnostics;
using System.Globalization;
using MetaLearn.Data;
using MetaLearn.Data.Images;
using MetaLearn.MetaLearning;
using MetaLearn.NN;
using Spectre.Console;

namespace OmniglotFewShot;

/// <summary>"train": meta-trains a method on the training alphabets, validates on others, saves, then measures on the held-out ones.</summary>
internal static class TrainCommand
{
    /// <param name="testAlphabets">The held-out alphabets; <see cref="OmniglotSplit.Test"/> when null.</param>
    /// <param name="validationAlphabets">The validation alphabets; <see cref="OmniglotSplit.Validation"/> when null.</param>
    public static int Run(RunSettings s, string data, string output, int episodes, double? minutes, bool resume, IReadOnlyList<string>? testAlphabets = null, IReadOnlyList<string>? validationAlphabets = null)
    {
        Directory.CreateDirectory(output);
        string name = s.Method.ToString().ToLowerInvariant();
        var heldOut = testAlphabets ?? OmniglotSplit.Test;
        var validating = validationAlphabets ?? OmniglotSplit.Validation;
        var dataset = Program.LoadOmniglot(data, s.ImageSize, s.Rotations, output);
        foreach (var alphabet in heldOut.Concat(validating))
        {
            if (!dataset.Groups.Contains(alphabet))
            {
                throw new ArgumentException($"'{data}' has no alphabet '{alphabet}': 'train' expects Omniglot's background set (images_background), whose alphabets it splits (or name others with --test-alphabets and --validation-alphabets).");
            }
        }

        var others = OmniglotSplit.Train(dataset, heldOut, validating);
        IReadOnlyList<string> trainAlphabets = s.TrainOnValidation ? [.. others, .. validating] : others;
        if (trainAlphabets.Count == 0)
        {
            throw new ArgumentException($"'{data}': no alphabet is left to train on once the held-out and validation alphabets are taken.");
        }

        var train = dataset.ClassesOfGroups(trainAlphabets);
        var validation = OmniglotSplit.Upright(dataset, validating);
        var test = OmniglotSplit.Upright(dataset, heldOut);
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"[bold]{s.Method}{(s.MamlPlusPlus ? "++" : string.Empty)}[/]: {s.Iterations} iterations, {s.ImageSize} px, {s.Hidden} filters{(s.Distort ? ", distortions" : string.Empty)}{(s.BatchNorm == BatchNormStatistics.Running ? ", running batch-norm statistics" : string.Empty)}{(s.LearningRateStep > 0 ? $", rate halved every {s.LearningRateStep}" : string.Empty)}{(s.WithinAlphabetPairs ? ", within-alphabet negatives" : string.Empty)}{(s.Episodic ? $", {s.TrainWays}-way {s.TrainShots}-shot episodes" : string.Empty)}{(s.InitialWeights is { } from ? $", from {Markup.Escape(from)}" : string.Empty)}; {train.Count} training classes ({trainAlphabets.Count} alphabets{(s.Rotations ? " × 4 rotations" : string.Empty)}), {(s.TrainOnValidation ? "no" : validation.Count)} validation and {test.Count} held-out characters."));

        var learner = LearnerFactory.Create(s);
        if (s.InitialWeights is { } initial)
        {
            if (!File.Exists(initial))
            {
                throw new FileNotFoundException($"--init: no checkpoint at '{initial}' (pass a METHOD.safetensors written by train).", initial);
            }

            MetaLearnerFile.Load(initial, learner);
        }

        var trainTasks = LearnerFactory.TrainingTasks(s, dataset, train);
        var validationTasks = new FewShotSampler(dataset, s.FixedWays ? s.TrainWays : 20, 1, 5, validation);
        long interval = Math.Max(1, s.Iterations / 10);
        string state = Path.Combine(output, name + ".state.safetensors");
        var options = new MetaTrainingOptions
        {
            Iterations = s.Iterations,
            MetaBatchSize = s.MetaBatch,
            Seed = s.Seed,
            ValidationInterval = s.TrainOnValidation ? 0 : interval,
            ValidationTasks = 100,
            ValidationSteps = s.TestSteps,
            SelectBy = ValidationMetric.Accuracy,
            CheckpointPath = state,
            CheckpointInterval = interval,
            Resume = resume,
            ProgressInterval = Math.Max(1, s.Iterations / 200),
        };

        var curve = new LearningCurve();
        var clock = Stopwatch.StartNew();
        using var cancel = minutes is { } m ? new CancellationTokenSource(TimeSpan.FromMinutes(m)) : new CancellationTokenSource();
        bool interactive = AnsiConsole.Profile.Capabilities.Interactive;
        void Record(MetaTrainingProgress p, Action<string>? show)
        {
            curve.AddLoss(p.Iteration, p.MetaLoss);
            string line = string.Create(CultureInfo.InvariantCulture, $"iteration {p.Iteration}/{p.TotalIterations}  loss {p.MetaLoss:F4}  {p.Elapsed.TotalMinutes:F1} min");
            bool validated = p.ValidationAccuracy is not null && p.Iteration % interval == 0;
            if (validated)
            {
                curve.AddValidation(p.Iteration, p.ValidationAccuracy!.Value);
                line += string.Create(CultureInfo.InvariantCulture, $"  validation {(s.FixedWays ? s.TrainWays : 20)}-way 1-shot {100 * p.ValidationAccuracy:F2}%");
            }

            // Without a terminal to redraw, a line per validation and per 2% of the run.
            if (!interactive && (validated || p.Iteration % Math.Max(1, s.Iterations / 50) == 0))
            {
                Console.WriteLine(line);
            }

            show?.Invoke(line);
        }

        bool stopped = false;
        try
        {
            if (interactive)
            {
                AnsiConsole.Progress().Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn()).Start(ctx =>
                {
                    var bar = ctx.AddTask("training", maxValue: s.Iterations);
                    MetaTrainer.Train(learner, trainTasks, options, s.TrainOnValidation ? null : validationTasks, new SynchronousProgress<MetaTrainingProgress>(p =>
                    {
                        Record(p, line => bar.Description = Markup.Escape(line));
                        bar.Value = p.Iteration;
                    }), cancel.Token);
                });
            }
            else
            {
                MetaTrainer.Train(learner, trainTasks, options, s.TrainOnValidation ? null : validationTasks, new SynchronousProgress<MetaTrainingProgress>(p => Record(p, null)), cancel.Token);
            }
        }
        catch (OperationCanceledException)
        {
            stopped = true;
            string best = MetaTrainer.BestCheckpointPath(state);
            if (File.Exists(best))
            {
                MetaLearnerFile.Load(best, learner);
            }

            AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"[yellow]Stopped at the time limit of {minutes} minutes; continuing with the best validated state (run again with --resume to go on).[/]"));
        }

        var elapsed = clock.Elapsed;
        string checkpoint = Path.Combine(output, name + ".safetensors");
        MetaLearnerFile.Save(checkpoint, learner);
        s.Save(Path.ChangeExtension(checkpoint, ".json"));
        string picture = Path.Combine(output, name + "-curve.png");
        curve.Save(picture, string.Create(CultureInfo.InvariantCulture, $"{s.Method}, {s.ImageSize} px: training loss and validation accuracy"));
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"Trained for {elapsed.TotalMinutes:F1} min{(stopped ? " (time limit)" : string.Empty)}; best validated state saved to [blue]{Markup.Escape(checkpoint)}[/], learning curve [blue]{Markup.Escape(picture)}[/]."));

        var figures = Evaluation.Episodes(learner, s, dataset, test, episodes, seed: 2025);
        var runs = Evaluation.BuiltRuns(data, heldOut, Path.Combine(output, "runs-heldout"), s.ImageSize, seed: 2025);
        Evaluation.Print(s, string.Create(CultureInfo.InvariantCulture, $"the {heldOut.Count} held-out background alphabets"), figures, Evaluation.Runs(learner, s, runs), elapsed);
        return 0;
    }
}
