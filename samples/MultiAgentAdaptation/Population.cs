using System.Diagnostics;
using System.Globalization;
using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Optim;
using MetaLearn.Tensors;
using MetaLearn.Transfer.FineTuning;
using MetaLearn.Transfer.Selection;

namespace MultiAgentAdaptation;

/// <summary>
/// The population run: veterans meta-train a shared initialization (Reptile) and each learns its own task from it; the
/// transfer gain between every two veterans is measured and a Siamese task metric learns it; newcomers then adapt from
/// scratch, from a random veteran, from the veteran the metric (or a fixed distance) ranks nearest, and from the
/// meta-learned initialization, and their errors are recorded against the number of examples seen.
/// </summary>
internal sealed class Population(AgentWorld world, SampleOptions options)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public IReadOnlyList<MethodCurve> Run()
    {
        var clock = Stopwatch.StartNew();
        var generator = new Generator(options.Seed);
        var veterans = world.Veterans;
        var model = world.CreateModel(new Generator(options.Seed + 1));
        var scratch = world.CreateModel(new Generator(options.Seed + 2)).Parameters().ToArray();

        // 1. Veterans meta-train a shared initialization with Reptile on their own tasks.
        var reptile = new Reptile(model, TaskLosses.Auto, new ReptileOptions { InnerSteps = 5, InnerLearningRate = world.FineTune.LearningRate, OuterStepSize = 0.1, Outer = new OuterLoopOptions { Schedule = new LinearDecay(0.1, 0, options.MetaIterations) } });
        MetaTrainer.Train(reptile, new VeteranTasks(veterans, world.GainExamples), new MetaTrainingOptions { Iterations = options.MetaIterations, MetaBatchSize = 5, Seed = options.Seed });
        var metaInit = model.Parameters().Select(p => p.Clone()).ToArray();
        Console.WriteLine(string.Create(Inv, $"  [{world.Name}] Reptile over {veterans.Count} veterans: {options.MetaIterations} meta-iterations ({clock.Elapsed.TotalSeconds:F0} s)."));

        // 2. Each veteran learns its own task from the shared initialization: its knowledge is its weights.
        var knowledge = veterans.Select(v => Adapt(model, metaInit, v.Sample(world.VeteranExamples, generator).Support, 10 * world.FineTuneSteps)).ToArray();

        // 3. Measured transfer gain from veteran i to veteran j: fine-tune from i's weights on j's few examples, compare
        //    with fine-tuning from the meta-learned initialization.
        int n = veterans.Count;
        var gains = new double[n, n];
        var gainTasks = veterans.Select(v => v.Sample(world.GainExamples, generator)).ToArray();
        for (int j = 0; j < n; j++)
        {
            double baseline = ErrorAfter(model, metaInit, gainTasks[j]);
            for (int i = 0; i < n; i++)
            {
                gains[i, j] = i == j ? 0 : baseline - ErrorAfter(model, knowledge[i], gainTasks[j]);
            }
        }

        // 4. A Siamese task metric learns the gains from the veterans' example sets (three draws of each, so it sees
        //    sets of several sizes), and a fixed distance (mean embedding) is kept for comparison.
        var pairs = new List<TaskPair>();
        foreach (int size in world.ExamplesSeen.Where(k => k <= world.GainExamples).Append(world.GainExamples).Distinct())
        {
            var sets = veterans.Select(v => world.Featurizer.Featurize(v.Sample(size, generator).Support)).ToArray();
            pairs.AddRange(TaskPairs.FromGains(sets, gains));
        }

        int width = pairs[0].First.Shape[1];
        var metric = new SiameseTaskMetric(width, hidden: 32, embedding: 8, new Generator(options.Seed + 3));
        var losses = metric.Train(pairs, new TaskMetricTrainingOptions { Epochs = options.MetricEpochs, Seed = options.Seed });
        var fixedDistance = new MeanEmbeddingDistance();
        Console.WriteLine(string.Create(Inv, $"  [{world.Name}] transfer gains over {n * (n - 1)} veteran pairs measured; Siamese task metric on {pairs.Count} pairs, loss {losses[0]:F3} → {losses[^1]:F3} ({clock.Elapsed.TotalSeconds:F0} s)."));

        // 5. Newcomers. Each veteran shows a draw of its own examples of the newcomer's size, what the metric was trained on.
        var veteranSets = world.ExamplesSeen.Select(k => veterans.Select(v => world.Featurizer.Featurize(v.Sample(Math.Min(k, world.VeteranExamples), generator).Support)).ToArray()).ToArray();
        string[] names = ["from scratch", "random veteran", "most similar veteran (learned metric)", "most similar veteran (mean embedding)", "meta-learned initialization"];
        var errors = names.Select(_ => world.ExamplesSeen.Select(_ => new double[options.Newcomers]).ToArray()).ToArray();
        for (int c = 0; c < options.Newcomers; c++)
        {
            var newcomer = world.NewAgent(generator);
            for (int k = 0; k < world.ExamplesSeen.Count; k++)
            {
                var task = newcomer.Sample(world.ExamplesSeen[k], generator);
                var features = world.Featurizer.Featurize(task.Support);
                int random = generator.NextInt(n);
                int learned = SourceSelection.RankSources(features, veteranSets[k], metric)[0].Index;
                int nearest = SourceSelection.RankSources(features, veteranSets[k], fixedDistance)[0].Index;
                Tensor[][] starts = [scratch, knowledge[random], knowledge[learned], knowledge[nearest], metaInit];
                for (int m = 0; m < starts.Length; m++)
                {
                    errors[m][k][c] = ErrorAfter(model, starts[m], task);
                }
            }
        }

        Console.WriteLine(string.Create(Inv, $"  [{world.Name}] {options.Newcomers} newcomers scored ({clock.Elapsed.TotalSeconds:F0} s)."));
        return [.. names.Select((name, m) => new MethodCurve(name, errors[m]))];
    }

    private Tensor[] Adapt(Module model, IReadOnlyList<Tensor> start, Examples support, int steps)
    {
        var learner = new FineTuneLearner(model, start, null, world.FineTune);
        learner.Condition(support);
        learner.Adapt(steps);
        return [.. learner.Weights];
    }

    private double ErrorAfter(Module model, IReadOnlyList<Tensor> start, ITask task)
    {
        var learner = new FineTuneLearner(model, start, null, world.FineTune);
        learner.Condition(task.Support);
        learner.Adapt(world.FineTuneSteps);
        return world.Error(learner.Predict(task.Query.Inputs), task.Query);
    }

    /// <summary>Meta-training tasks: a random veteran's own task, a few examples at a time.</summary>
    private sealed class VeteranTasks(IReadOnlyList<Agent> veterans, int examples) : ITaskSource
    {
        public ITask Sample(Generator generator) => veterans[generator.NextInt(veterans.Count)].Sample(examples, generator);
    }
}
