using System.Diagnostics;
using System.Globalization;
using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.Orleans;
using MetaLearn.Tensors;
using MetaLearn.Transfer.Selection;

namespace AgentPopulation;

/// <summary>The population's run, driven from the coordinator; every agent's data and learner stay in its grain.</summary>
internal sealed class Population(LocalhostCluster cluster, Population.Options options)
{
    public static readonly string[] Methods = ["from scratch", "random veteran", "most similar veteran (Siamese metric)", "meta-learned initialization"];
    public static readonly string[] Rounds = ["first round's initialization", "second round, veterans only", "second round, with newcomers' experience"];
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public async Task<Outcome> Run()
    {
        var grains = cluster.Grains;
        var veterans = Enumerable.Range(0, options.Veterans).Select(i => grains.GetGrain<IAgentGrain>(i)).ToArray();
        var groups = await Task.WhenAll(veterans.Select(v => v.Join(options.Seed)));

        // 1. Distributed meta-training: MAML's meta-batches run on worker grains; the veterans' tasks travel as a
        //    task-source name and a seed (every silo can sample them), so a task costs a few bytes instead of its tensors.
        var metaInit = await MetaTrain("first round", null, new World.Veterans(options.Seed, options.Veterans), World.VeteranTasks, options.MetaIterations, options.Seed);
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
        Log($"Siamese task metric on {pairs.Count} veteran pairs: loss {losses[0]:F3} -> {losses[^1]:F3}");

        // 4. Newcomers ask the population for the most similar veteran and adapt from it, or from the alternatives.
        var veteranSets = new Tensor[World.ExamplesSeen.Length][];
        for (int k = 0; k < World.ExamplesSeen.Length; k++)
        {
            veteranSets[k] = [.. (await Task.WhenAll(veterans.Select(v => v.Features(World.ExamplesSeen[k], 200)))).Select(Weights.Matrix)];
        }

        var first = await Score(0, Methods.Length, async (newcomer, k, draw) =>
        {
            var features = Weights.Matrix(await newcomer.Features(World.ExamplesSeen[k], draw));
            int similar = SourceSelection.RankSources(features, veteranSets[k], metric)[0].Index;
            int random = new Generator(options.Seed + 5 + draw).NextInt(options.Veterans); // per draw: the same whatever the thread order
            return [scratch, knowledge[random], knowledge[similar], metaInit];
        });
        Log($"{options.Newcomers} newcomers scored");

        // 5. The newcomers join: their tasks (still sampled on the silos from a registered source, never sent) feed a second
        //    round of meta-training that starts from the first round's initialization. The control continues for as many
        //    iterations on the veterans alone; a second cohort of newcomers, seen by neither, judges the two.
        int more = Math.Max(1, options.MetaIterations / 2);
        var veteransOnly = await MetaTrain("second round, veterans only", metaInit, new World.Veterans(options.Seed, options.Veterans), World.VeteranTasks, more, options.Seed + 6);
        var withNewcomers = await MetaTrain("second round, with newcomers", metaInit, new World.Members(options.Seed, options.Veterans, options.Newcomers), World.PopulationTasks, more, options.Seed + 6);
        var second = await Score(options.Newcomers, Rounds.Length, (_, _, _) => Task.FromResult<float[][][]>([metaInit, veteransOnly, withNewcomers]));
        Log($"a second cohort of {options.Newcomers} newcomers scored");
        return new Outcome(first, second);
    }

    /// <summary>Meta-trains the population's MAML on the cluster from <paramref name="start"/> (its own initialization when null); returns the weights.</summary>
    private async Task<float[][]> MetaTrain(string round, float[][]? start, ITaskSource source, string sourceName, int iterations, ulong seed)
    {
        ClusterMetaBatchExecutor? executor = null;
        var maml = World.MetaLearner(options.Seed, ClusterMetaBatchExecutor.Factory(cluster.Grains, World.Learner, new ClusterExecutorOptions { Workers = options.Workers }, e => executor = e));
        if (start is not null)
        {
            var parameters = maml.Model.Parameters();
            for (int i = 0; i < parameters.Count; i++)
            {
                start[i].CopyTo(parameters[i].AsSpan<float>());
            }
        }

        var progress = new Progress(p => Log($"{round}: meta-iteration {p.Iteration}/{p.TotalIterations}, loss {p.MetaLoss:F3}"));
        var tasks = new DescribedTaskSource(sourceName, source);
        await Task.Run(() => MetaTrainer.Train(maml, tasks, new MetaTrainingOptions { Iterations = iterations, MetaBatchSize = World.MetaBatch, Seed = seed, ProgressInterval = Math.Max(1, iterations / 4) }, progress: progress));
        var run = executor!.LastRun!;
        Log($"{round}: MAML on {run.Silos.Count} silos, {run.BytesSent} bytes sent and {run.BytesReceived} received in the last meta-iteration");
        return Weights.To(maml.Model.Parameters());
    }

    /// <summary>
    /// Scores options.Newcomers newcomers (agent ids from <see cref="World.NewcomerIds"/> + <paramref name="offset"/>): the query
    /// error after fine-tuning from each start that <paramref name="starts"/> gives, per examples seen; [start][k][newcomer].
    /// </summary>
    private async Task<double[][][]> Score(int offset, int count, Func<IAgentGrain, int, ulong, Task<float[][][]>> starts)
    {
        var errors = Enumerable.Range(0, count).Select(_ => World.ExamplesSeen.Select(_ => new double[options.Newcomers]).ToArray()).ToArray();
        await Task.WhenAll(Enumerable.Range(0, options.Newcomers).Select(async c =>
        {
            var newcomer = cluster.Grains.GetGrain<IAgentGrain>(World.NewcomerIds + offset + c);
            await newcomer.Join(options.Seed);
            for (int k = 0; k < World.ExamplesSeen.Length; k++)
            {
                ulong draw = (ulong)(((offset + c) * 1000) + k);
                var from = await starts(newcomer, k, draw);
                for (int m = 0; m < from.Length; m++)
                {
                    errors[m][k][c] = await newcomer.ErrorAfter(from[m], World.ExamplesSeen[k], draw);
                }
            }
        }));
        return errors;
    }

    private void Log(string message) => Console.WriteLine(string.Create(Inv, $"  {message} ({_clock.Elapsed.TotalSeconds:F0} s)."));

    /// <summary>The sample's settings.</summary>
    internal sealed record Options(int Veterans, int Newcomers, int MetaIterations, int Workers, ulong Seed);

    /// <summary>The newcomers' errors, [start][k][newcomer]: the first cohort by <see cref="Methods"/>, the second by <see cref="Rounds"/>.</summary>
    internal sealed record Outcome(double[][][] FirstCohort, double[][][] SecondCohort);

    private sealed class Progress(Action<MetaTrainingProgress> report) : IProgress<MetaTrainingProgress>
    {
        public void Report(MetaTrainingProgress value) => report(value);
    }
}
