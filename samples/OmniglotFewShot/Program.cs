using System.CommandLine;
using System.Globalization;
using MetaLearn.Data.Images;
using MetaLearn.NN;
using MetaLearn.Tensors;
using Spectre.Console;

namespace OmniglotFewShot;

/// <summary>
/// Few-shot learning on Omniglot from the files a user downloads: trains prototypical networks, matching networks, R2-D2,
/// a Siamese network, MAML, first-order MAML or Reptile on background alphabets, then measures N-way K-shot accuracy and
/// Lake et al.'s within-alphabet one-shot runs. See samples/README.md.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var dataOption = new Option<string>("--data") { Description = "Omniglot's images_background folder or images_background.zip (train); any alphabets folder or zip (evaluate)." };
        var methodOption = new Option<string>("--method") { Description = "protonet, matching, r2d2, siamese, maml, fomaml or reptile.", DefaultValueFactory = _ => "protonet" };
        methodOption.AcceptOnlyFromAmong("protonet", "matching", "r2d2", "siamese", "maml", "fomaml", "reptile");
        var iterations = new Option<long?>("--iterations") { Description = "Meta-iterations (episodes, pair batches or meta-batches); the method's 15-minute default when absent." };
        var imageSize = new Option<int>("--image-size") { Description = "Side of the images in pixels (28, 56, 84, 105).", DefaultValueFactory = _ => 28 };
        var hidden = new Option<int>("--hidden") { Description = "Filters per conv block (the network's width).", DefaultValueFactory = _ => 64 };
        var ways = new Option<int?>("--ways") { Description = "Training ways (for MAML and Reptile also the test ways; 60 for prototypical networks by default)." };
        var shots = new Option<int?>("--shots") { Description = "Training shots per class." };
        var metaBatch = new Option<int?>("--meta-batch") { Description = "Tasks per meta-iteration." };
        var learningRate = new Option<double?>("--lr") { Description = "Outer learning rate (Reptile: initial outer step size)." };
        var distort = new Option<bool>("--distort") { Description = "Koch et al.'s random affine distortions of the training images." };
        var learningRateStep = new Option<long?>("--lr-step") { Description = "Episodes between halvings of the outer learning rate (0: every quarter of the run; Snell et al.: 2000)." };
        var batchNorm = new Option<string?>("--batch-norm") { Description = "Batch norm of the metric learners: batch (each batch by its own statistics) or running (running averages when predicting)." };
        var preset = new Option<string>("--preset") { Description = "default (about 15 minutes) or paper (the longer recipe measured in samples/README.md: for protonet 60-way 1-shot episodes with distortions, running batch-norm statistics, the rate halved every 2000 episodes, 6000 episodes); options given override it.", DefaultValueFactory = _ => "default" };
        preset.AcceptOnlyFromAmong("default", "paper");
        batchNorm.AcceptOnlyFromAmong("batch", "running");
        var withinAlphabet = new Option<bool>("--within-alphabet") { Description = "Siamese: draw each different pair from one alphabet (hard negatives, as Koch et al.)." };
        var episodic = new Option<bool>("--episodic") { Description = "Siamese: train on N-way episodes (60-way 1-shot, 5 queries unless --ways/--shots say otherwise) with the N-way cross-entropy of its class scores, instead of on pairs; with --init, fine-tunes a pair-trained network for the one-shot decision." };
        var init = new Option<string?>("--init") { Description = "Start from the weights of a METHOD.safetensors written by an earlier train of the same method and network (e.g. episodic fine-tuning of a pair-trained Siamese network)." };
        var trainOnValidation = new Option<bool>("--train-on-validation") { Description = "Train on the validation alphabets too, without validation (a final run for the iteration count a validated run found best)." };
        var noRotations = new Option<bool>("--no-rotations") { Description = "Train on upright characters only (no 90/180/270-degree classes)." };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the weights and of the tasks.", DefaultValueFactory = _ => 1 };
        var minutes = new Option<double?>("--minutes") { Description = "Stop training after this many minutes and keep the best validated state." };
        var plusPlus = new Option<bool>("--maml-plus-plus") { Description = "With --method maml: MAML++ (5 inner steps at 0.1, multi-step loss, learned per-step rates, per-step batch norm, first order for a third of the run, cosine outer rate)." };
        var resume = new Option<bool>("--resume") { Description = "Continue the run checkpointed in --out." };
        var episodes = new Option<int>("--episodes") { Description = "Random test episodes per N-way K-shot setting.", DefaultValueFactory = _ => 1000 };
        var output = new Option<string>("--out") { Description = "Folder for the checkpoint, the learning curve, the image cache and built runs.", DefaultValueFactory = _ => "out/omniglot" };
        var threads = new Option<int>("--threads") { Description = "Threads to use (all cores by default).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var testAlphabets = new Option<string?>("--test-alphabets") { Description = "Comma-separated held-out alphabets (default: the sample's 5; with --validation-alphabets, for other data)." };
        var validationAlphabets = new Option<string?>("--validation-alphabets") { Description = "Comma-separated validation alphabets (default: the sample's 3); every other alphabet trains." };

        var train = new Command("train", "Meta-train a method on 22 background alphabets, validate on 3 others, save, and measure on the 5 held out.")
        {
            dataOption, methodOption, preset, iterations, imageSize, hidden, ways, shots, metaBatch, learningRate, learningRateStep, batchNorm, withinAlphabet, episodic, init, trainOnValidation, distort, noRotations, plusPlus, seed, minutes, resume, episodes, output, threads,
            testAlphabets, validationAlphabets,
        };
        dataOption.Required = true;
        train.SetAction(r => Guarded(r.GetValue(threads), () =>
        {
            var method = Enum.Parse<FewShotMethod>(r.GetValue(methodOption)!, ignoreCase: true);
            var defaults = r.GetValue(preset) == "paper" ? RunSettings.Paper(method) : RunSettings.For(method);
            if (r.GetValue(plusPlus))
            {
                defaults = defaults.WithMamlPlusPlus();
            }

            if (r.GetValue(episodic))
            {
                defaults = defaults.WithEpisodes();
            }

            var s = defaults with
            {
                Iterations = r.GetValue(iterations) ?? defaults.Iterations,
                ImageSize = r.GetValue(imageSize),
                Hidden = r.GetValue(hidden),
                TrainWays = r.GetValue(ways) ?? defaults.TrainWays,
                TrainShots = r.GetValue(shots) ?? defaults.TrainShots,
                MetaBatch = r.GetValue(metaBatch) ?? defaults.MetaBatch,
                LearningRate = r.GetValue(learningRate) ?? defaults.LearningRate,
                LearningRateStep = r.GetValue(learningRateStep) ?? defaults.LearningRateStep,
                BatchNorm = r.GetValue(batchNorm) is { } norm ? Enum.Parse<BatchNormStatistics>(norm, ignoreCase: true) : defaults.BatchNorm,
                WithinAlphabetPairs = r.GetValue(withinAlphabet) || defaults.WithinAlphabetPairs,
                TrainOnValidation = r.GetValue(trainOnValidation),
                Distort = r.GetValue(distort) || defaults.Distort,
                Rotations = !r.GetValue(noRotations),
                Seed = r.GetValue(seed),
                InitialWeights = r.GetValue(init),
            };
            return TrainCommand.Run(s, r.GetValue(dataOption)!, r.GetValue(output)!, r.GetValue(episodes), r.GetValue(minutes), r.GetValue(resume), Alphabets(r.GetValue(testAlphabets)), Alphabets(r.GetValue(validationAlphabets)));
        }));

        var checkpoint = new Option<string>("--checkpoint") { Description = "A METHOD.safetensors written by train (its METHOD.json must be beside it).", Required = true };
        var evalData = new Option<string?>("--data") { Description = "An alphabets folder or zip in Omniglot's layout: random episodes, and 20 within-alphabet runs built from it." };
        var alphabets = new Option<string?>("--alphabets") { Description = "Comma-separated alphabets of --data to use (all when absent)." };
        var runs = new Option<string?>("--runs") { Description = "A one-shot runs folder or zip (runNN/training, runNN/test, runNN/class_labels.txt)." };
        var transductive = new Option<bool>("--transductive") { Description = "Normalize each support set and query batch by its own statistics, even where the network keeps running averages." };
        var evaluate = new Command("evaluate", "Measure a trained checkpoint on any alphabets and on one-shot runs.") { checkpoint, evalData, alphabets, runs, episodes, output, threads, transductive };
        evaluate.SetAction(r => Guarded(r.GetValue(threads), () => EvaluateCommand.Run(
            r.GetValue(checkpoint)!,
            r.GetValue(evalData),
            Alphabets(r.GetValue(alphabets)),
            r.GetValue(runs),
            r.GetValue(episodes),
            r.GetValue(output)!,
            r.GetValue(transductive))));

        var root = new RootCommand("Few-shot learning on Omniglot with MetaLearn: prototypical networks, Siamese networks, MAML, first-order MAML and Reptile.") { train, evaluate };
        return root.Parse(args).Invoke();
    }

    /// <summary>A comma-separated list of alphabets, or null when the option is absent.</summary>
    private static string[]? Alphabets(string? list) => list?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Loads Omniglot at <paramref name="size"/> pixels, through a decoded-image cache in <paramref name="output"/>.</summary>
    internal static ImageDataset LoadOmniglot(string path, int size, bool rotations, string output)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new FileNotFoundException($"No Omniglot data at '{path}'. Download images_background.zip of the original release (github.com/brendenlake/omniglot, python/images_background.zip) and pass its path, zipped or unzipped, with --data.", path);
        }

        Directory.CreateDirectory(output);
        var cache = Path.Combine(output, string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileNameWithoutExtension(path)}-{size}px.cache"));
        var dataset = Omniglot.Load(path, new OmniglotOptions { ImageSize = size, Rotations = rotations ? OmniglotOptions.AllRotations : [0], CacheFile = cache });
        AnsiConsole.MarkupLine($"Loaded {dataset.ImageCount} images of {dataset.Groups.Count} alphabets from [blue]{Markup.Escape(path)}[/] ({dataset.Cache}).");
        return dataset;
    }

    /// <summary>Runs a command with the thread setting, turning the expected failures (missing files, bad data, bad options) into a message and exit code 1.</summary>
    private static int Guarded(int threads, Func<int> command)
    {
        try
        {
            Parallelism.MaxDegreeOfParallelism = Math.Max(1, threads);
            return command();
        }
        catch (Exception error) when (error is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException)
        {
            AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(error.Message)}");
            return 1;
        }
    }
}
