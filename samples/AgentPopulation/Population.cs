using System.Diagnostics;
using System.Globalization;
using MetaLearn.MetaLearning;
using MetaLearn.Orleans;
using MetaLearn.Tensors;
using MetaLearn.Transfer.Selection;

namespace AgentPopulation;

/// <summary>The population's run, driven from the coordinator; every agent's data and learner stay in its grain.</summary>
internal sealed class Population(LocalhostCluster cluster, Population.Options options)
{
    public static readonly string[] Methods = ["from scratch", "random veteran", "most similar veteran (Siamese metric)", "meta-learned initialization"];
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public async Task<double[][][]> Run()
    {
        var clock = Stopwatch.StartNew();
        var grains = cluster.Grains;
        var veterans = Enumerable.Range(0, options.Veterans).Select(i => grains.GetGrain<IAgentGrain>(i)).ToArray();
        var groups = await Task.WhenAll(veterans.Select(v => v.Join(options.Seed)));

        // 1. Distributed meta-training: Reptile's meta-batches run on worker grains; the veterans' tasks travel as a
        //    task-source name and a seed (every silo can sample them), so a task costs a few bytes instead of its tensors.
        ClusterMetaBatchExecutor? executor = null;
        var reptile = World.Reptile(options.Seed, options.MetaIterations, ClusterMetaBatchExecutor.Factory(grains, World.Learner, new ClusterExecutorOptions { Workers = options.Workers }, e => executor = e));
        var progress = new Progress(p => Console.WriteLine(string.Create(Inv, $"  meta-iteration {p.Iteration}/{p.TotalIterations}: loss {p.MetaLoss:F3} ({clock.Elapsed.TotalSeconds:F0} s)")));
        var tasks = new DescribedTaskSource(World.VeteranTasks, new World.Veterans(options.Seed, options.Veterans));
        await Task.Run(() => MetaTrainer.Train(reptile, tasks, new MetaTrainingOptions { Iterations = options.MetaIterations, MetaBatchSize = World.MetaBatch, Seed = options.Seed, ProgressInterval = Math.Max(1, options.MetaIterations / 4) }, progress: progress));
        var run = executor!.LastRun!;
        Console.WriteLine(string.Create(Inv, $"  Reptile on {run.Silos.Count} silos: {run.BytesSent} bytes sent and {run.BytesReceived} received in the last meta-iteration ({clock.Elapsed.TotalSeconds:F0} s)."));
        var metaInit = Weights.To(reptile.Model.Parameters());
        var scratch = Weights.To(World.CreateModel(options.Seed + 3).Parameters());

        // 2. Each veteran adapts its own learner from the meta-learned initialization, in its grain.
        await Task.WhenAll(veterans.Select(v => v.Learn(metaInit, 50, 10 * World.FineTuneSteps)));
        var knowledge = await Task.WhenAll(veterans.Select(v => v.Knowledge()));

        // 3. A Siamese task metric learns which veterans' tasks are alike from their example sets (labelled by group).
        var pairs = new List<TaskPair>();
        foreach (int size in World.ExamplesSeen)
        {
            var sets = await Task.WhenAll(veterans.Select((v, i) => v.Features(size, (ulong)(100 + size))));
            pairs.AddRange(TaskPairs.FromGroups([.. sets.Select(Weights.Matrix)], groups));
        }

        var metric = new SiameseTaskMetric(pairs[0].First.Shape[1], hidden: 32, embedding: 8, new Generator(options.Seed + 4));
        var losses = metric.Train(pairs, new TaskMetricTrainingOptions { Epochs = 30, Seed = options.Seed });
        Console.WriteLine(string.Create(Inv, $"  Siamese task metric on {pairs.Count} veteran pairs: loss {losses[0]:F3} -> {losses[^1]:F3} ({clock.Elapsed.TotalSeconds:F0} s)."));

        // 4. Newcomers ask the population for the most similar veteran and adapt from it, or from the alternatives.
        var veteranSets = new Tensor[World.ExamplesSeen.Length][];
        for (int k = 0; k < World.ExamplesSeen.Length; k++)
        {
            veteranSets[k] = [.. (await Task.WhenAll(veterans.Select(v => v.Features(World.ExamplesSeen[k], 200)))).Select(Weights.Matrix)];
        }

        var errors = Methods.Select(_ => World.ExamplesSeen.Select(_ => new double[options.Newcomers]).ToArray()).ToArray();
        var generator = new Generator(options.Seed + 5);
        await Task.WhenAll(Enumerable.Range(0, options.Newcomers).Select(async c =>
        {
            var newcomer = grains.GetGrain<IAgentGrain>(World.NewcomerIds + c);
            await newcomer.Join(options.Seed);
            for (int k = 0; k < World.ExamplesSeen.Length; k++)
            {
                ulong draw = (ulong)((c * 1000) + k);
                var features = Weights.Matrix(await newcomer.Features(World.ExamplesSeen[k], draw));
                int similar = SourceSelection.RankSources(features, veteranSets[k], metric)[0].Index;
                int random;
                lock (generator)
                {
                    random = generator.NextInt(options.Veterans);
                }

                float[][][] starts = [scratch, knowledge[random], knowledge[similar], metaInit];
                for (int m = 0; m < starts.Length; m++)
                {
                    errors[m][k][c] = await newcomer.ErrorAfter(starts[m], World.ExamplesSeen[k], draw);
                }
            }
        }));

        Console.WriteLine(string.Create(Inv, $"  {options.Newcomers} newcomers scored ({clock.Elapsed.TotalSeconds:F0} s)."));
        return errors;
    }

    /// <summary>The sample's settings.</summary>
    internal sealed record Options(int Veterans, int Newcomers, int MetaIterations, int Workers, ulong Seed);

    private sealed class Progress(Action<MetaTrainingProgress> report) : IProgress<MetaTrainingProgress>
    {
        public void Report(MetaTrainingProgress value) => report(value);
    }
}
