using System.Diagnostics;
using System.Globalization;
using MetaLearn.Data;
using MetaLearn.Data.Images;
using MetaLearn.Evaluation;
using MetaLearn.MetaLearning;
using MetaLearn.Metric;
using MetaLearn.NN;
using MetaLearn.Serialization;
using MetaLearn.Tensors;
using MetaLearn.Transfer;
using MetaLearn.Transfer.Features;
using MetaLearn.Transfer.FineTuning;

namespace OmniglotTransfer;

/// <summary>Pre-trains the sources, then scores every transfer method and the scratch baseline on the same target tasks.</summary>
internal static class Experiment
{
    private const int Ways = 5;

    public static void Run(ExperimentOptions options)
    {
        var inv = CultureInfo.InvariantCulture;
        var clock = Stopwatch.StartNew();
        var dataset = Omniglot.Load(options.Zip, new OmniglotOptions { ImageSize = 28, CacheFile = options.Cache });
        var split = dataset.SplitByGroup(options.SourceAlphabets, 0);
        var targetAlphabets = dataset.Groups.Skip(options.SourceAlphabets).ToArray();
        Console.WriteLine(string.Create(inv, $"Omniglot background: {dataset.Groups.Count} alphabets; sources: the first {options.SourceAlphabets} ({split.Train.Count} characters), targets: {string.Join(", ", targetAlphabets)} ({split.Test.Count} characters). Loaded in {clock.Elapsed.TotalSeconds:F0} s."));

        // Source model: Conv-4 with running batch-norm statistics, trained as an ordinary classifier of the source characters.
        var generator = new Generator(options.Seed);
        var source = new ConvNet(split.Train.Count, generator, hiddenChannels: options.Channels, statistics: BatchNormStatistics.Running);
        var sourceFile = options.Checkpoints is { } folder ? Path.Combine(folder, $"omniglot_source_{options.SourceAlphabets}_{options.Channels}.safetensors") : null;
        if (sourceFile is not null && File.Exists(sourceFile))
        {
            ModuleCheckpoint.Load(source, sourceFile);
            source.Eval();
            Console.WriteLine($"Source model read from {sourceFile}.");
        }
        else
        {
            var epochs = SourceTraining.Train(source, dataset, split.Train, new SourceTrainingOptions { Epochs = 30, BatchSize = 64, Seed = options.Seed, TimeLimit = TimeSpan.FromMinutes(options.PretrainMinutes) });
            Console.WriteLine(string.Create(inv, $"Source pre-training: {epochs.Count} epoch(s), loss {epochs[0]:F3} → {epochs[^1]:F3} ({clock.Elapsed.TotalSeconds:F0} s)."));
            Save(source, sourceFile);
        }

        // Relation network (Sung et al. 2018): embedding started from the source backbone, relation MLP, trained on source episodes.
        var embedding = Features(options.Channels, generator);
        ParameterTransfer.CopyMatching(source.Features, embedding);
        var relation = RelationNetwork.Create(embedding, source.FeatureCount, hidden: 64, generator, options: new RelationOptions { Outer = new OuterLoopOptions { LearningRate = 0.0005 } });
        var relationFile = sourceFile?.Replace("omniglot_source_", "omniglot_relation_", StringComparison.Ordinal);
        if (relationFile is not null && File.Exists(relationFile))
        {
            ModuleCheckpoint.Load(relation.Network, relationFile);
            Console.WriteLine($"Relation network read from {relationFile}.");
        }
        else
        {
            relation.Network.Train();
            var episodes = new List<double>();
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(options.RelationMinutes));
            try
            {
                var training = new MetaTrainingOptions { Iterations = 100_000, MetaBatchSize = 1, Seed = options.Seed, ProgressInterval = 1 };
                MetaTrainer.Train(relation, new FewShotSampler(dataset, Ways, 1, 5, split.Train), training, progress: new LossRecorder(episodes), cancellationToken: limit.Token);
            }
            catch (OperationCanceledException)
            {
                // The time limit: keep what was learned so far.
            }

            Console.WriteLine(string.Create(inv, $"Relation training: {episodes.Count} episodes, loss {episodes.Take(50).Average():F3} → {episodes.TakeLast(50).Average():F3} ({clock.Elapsed.TotalSeconds:F0} s)."));
            Save(relation.Network, relationFile);
        }

        relation.Network.Eval();

        // Parameter transfer target: the source's weights by name, the 5-way head re-initialized.
        var target = new ConvNet(Ways, new Generator(options.Seed + 1), hiddenChannels: options.Channels, statistics: BatchNormStatistics.Running);
        var report = ParameterTransfer.CopyMatching(source, target, ShapeMismatchPolicy.Reinitialize, new Generator(options.Seed + 2));
        target.Eval();
        Console.WriteLine(report.ToString());

        var fineTune = new FineTuneOptions
        {
            LearningRate = 0.01,
            LayerRates = new LayerwiseLearningRates((ParameterSelection.WithPrefix(ConvNet.FeaturesPrefix), 0.1)),
            L2SPAlpha = 0.01,
        };
        var methods = new (string Name, Func<ILearner> Create, int Steps)[]
        {
            ("feature: prototype head", () => new FeatureTransferLearner(source.Features, new FeatureTransferOptions { Head = FeatureHead.Prototype }), 0),
            ("feature: linear head", () => new FeatureTransferLearner(source.Features, new FeatureTransferOptions { Head = FeatureHead.Linear }), options.Steps),
            ("parameter: fine-tune + L2-SP", () => new FineTuneLearner(target, report.Anchors, fineTune), options.Steps),
            ("relation: transferred", () => new RelationTransferLearner(relation), 0),
            ("relation: + target pairs", () => new RelationTransferLearner(relation, new RelationTransferOptions { LearningRate = 0.0005 }), 10),
            ("scratch (Conv-4, Adam)", () => new FineTuneLearner(new ConvNet(Ways, new Generator(options.Seed + 3), hiddenChannels: options.Channels), null, new FineTuneOptions { LearningRate = 0.003 }), options.Steps),
        };

        Console.WriteLine();
        Console.WriteLine(string.Create(inv, $"5-way accuracy on {options.Tasks} tasks from the held-out alphabets (mean ± 95% Student-t interval):"));
        Console.WriteLine("  method                          steps    1-shot              5-shot");
        foreach (var (name, create, stepCount) in methods)
        {
            var cells = new List<string>();
            foreach (int shots in new[] { 1, 5 })
            {
                var sampler = new FewShotSampler(dataset, Ways, shots, 15, split.Test);
                var row = MetaEvaluator.Evaluate(create, sampler, options.Tasks, [stepCount], seed: options.Seed + 100)[0];
                var accuracy = row.Accuracy!;
                cells.Add(string.Create(inv, $"{100 * accuracy.Mean,5:F1} ± {100 * accuracy.HalfWidth,4:F1}%"));
                Console.WriteLine(string.Create(inv, $"RESULT method=\"{name}\" shots={shots} steps={stepCount} accuracy={accuracy.Mean:F4} ci95={accuracy.HalfWidth:F4} tasks={accuracy.Count}"));
            }

            Console.WriteLine(string.Create(inv, $"  {name,-30} {stepCount,5}    {cells[0],-18}  {cells[1]}"));
        }

        Console.WriteLine(string.Create(inv, $"Total {clock.Elapsed.TotalMinutes:F1} min."));
    }

    private static void Save(Module module, string? path)
    {
        if (path is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            ModuleCheckpoint.Save(module, path);
            Console.WriteLine($"Saved {path}.");
        }
    }

    /// <summary>The Conv-4 feature extractor alone (running batch-norm statistics), named as ConvNet's "features".</summary>
    private static Sequential Features(int channels, Generator generator)
        => new([.. Enumerable.Range(0, 4).Select(b => (Module)new ConvBlock(b == 0 ? 1 : channels, channels, generator, BatchNormStatistics.Running))]);
}
