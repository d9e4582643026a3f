using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using AgentPopulation;
using MetaLearn.MetaLearning;
using MetaLearn.Orleans;
using MetaLearn.Tensors;

// Agents as grains on an Orleans cluster in this process (localhost clustering, no infrastructure): veterans meta-train a
// shared initialization (second-order MAML, its meta-batches computed by worker grains), each veteran adapts its own learner, a
// Siamese task metric learns which veterans are alike, and newcomers adapt from scratch, from a random veteran, from the
// most similar veteran, or from the meta-learned initialization; then the newcomers' tasks join a second round of
// meta-training, judged on a second cohort against a control round on the veterans alone.
var veterans = new Option<int>("--veterans") { Description = "Veteran agents", DefaultValueFactory = _ => 24 };
var newcomers = new Option<int>("--newcomers") { Description = "Newcomer agents scored", DefaultValueFactory = _ => 100 };
var iterations = new Option<int>("--meta-iterations") { Description = "MAML meta-iterations on the cluster (the second round runs half as many)", DefaultValueFactory = _ => 4000 };
var silos = new Option<int>("--silos") { Description = "Silos started in this process", DefaultValueFactory = _ => 2 };
var workers = new Option<int>("--workers") { Description = "Worker grains computing the meta-batches", DefaultValueFactory = _ => 4 };
var output = new Option<string>("--out") { Description = "Where the figure goes", DefaultValueFactory = _ => "out" };
var seed = new Option<ulong>("--seed") { Description = "Random seed", DefaultValueFactory = _ => 1 };
var root = new RootCommand("Agent population on Orleans: distributed meta-training, similarity-ranked veterans and newcomers.") { veterans, newcomers, iterations, silos, workers, output, seed };
root.SetAction(async (parse, cancellation) =>
{
    var options = new Population.Options(parse.GetValue(veterans), parse.GetValue(newcomers), parse.GetValue(iterations), parse.GetValue(workers), parse.GetValue(seed));
    var clock = Stopwatch.StartNew();
    await using var cluster = await LocalhostCluster.StartAsync(
        registry => registry
            .AddLearner(World.Learner, () => World.MetaLearner(options.Seed))
            .AddTaskSource(World.VeteranTasks, new World.Veterans(options.Seed, options.Veterans))
            .AddTaskSource(World.PopulationTasks, new World.Members(options.Seed, options.Veterans, options.Newcomers)),
        parse.GetValue(silos),
        cancellation);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Cluster of {cluster.Silos} silos on loopback ports ({clock.Elapsed.TotalSeconds:F1} s)."));
    var outcome = await new Population(cluster, options).Run();
    Report.Print(outcome);
    Console.WriteLine($"Wrote {string.Join(" and ", Report.Plot(outcome, parse.GetValue(output)!))}");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Done in {clock.Elapsed.TotalSeconds:F0} s."));
    return 0;
});
return await root.Parse(args).InvokeAsync();
