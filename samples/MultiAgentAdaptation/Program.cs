using System.CommandLine;
using System.Diagnostics;
using MetaLearn.Tensors;
using MetaLearn.TextEmbeddings;
using MetaLearn.TextEmbeddings.MiniLM;
using MultiAgentAdaptation;

// A population of agents: veterans meta-learn a shared initialization, a Siamese task metric learns which veteran's
// knowledge helps whom, and newcomers adapt from scratch, from a random veteran, from the most similar veteran, or from
// the meta-learned initialization. Two variants: agents fitting waves, and assistants learning their users' intents.
var veterans = new Option<int>("--veterans") { Description = "Veterans in the wave population (the assistants have 2 per domain)", DefaultValueFactory = _ => 24 };
var newcomers = new Option<int>("--newcomers") { Description = "Newcomers scored per variant", DefaultValueFactory = _ => 100 };
var iterations = new Option<int>("--meta-iterations") { Description = "Reptile meta-iterations of the veterans", DefaultValueFactory = _ => 2000 };
var epochs = new Option<int>("--metric-epochs") { Description = "Training epochs of the Siamese task metric", DefaultValueFactory = _ => 60 };
var noText = new Option<bool>("--no-text") { Description = "Skip the assistant (MiniLM) variant" };
var output = new Option<string>("--out") { Description = "Where the figures go", DefaultValueFactory = _ => "out" };
var seed = new Option<ulong>("--seed") { Description = "Random seed", DefaultValueFactory = _ => 1 };
var root = new RootCommand("Multi-agent adaptation: meta-learned initialization and similarity-ranked transfer for newcomers.") { veterans, newcomers, iterations, epochs, noText, output, seed };
root.SetAction(parse =>
{
    var options = new SampleOptions(parse.GetValue(veterans), parse.GetValue(newcomers), parse.GetValue(iterations), parse.GetValue(epochs), parse.GetValue(noText), parse.GetValue(output)!, parse.GetValue(seed));
    var clock = Stopwatch.StartNew();
    Console.WriteLine($"Wave agents: {options.Veterans} veterans, {options.Newcomers} newcomers.");
    var sine = new SineAgents(options.Veterans, new Generator(options.Seed));
    var sineCurves = new Population(sine, options).Run();
    Report.Print(sine, sineCurves);
    Console.WriteLine($"Wrote {Report.Plot(sine, sineCurves, options.OutputDirectory)}");

    if (!options.SkipText)
    {
        Console.WriteLine();
        Console.WriteLine($"Assistant agents (MiniLM sentence embeddings, 4 domains x 5 intents), {options.Newcomers} newcomers.");
        using var generator = new MiniLMEmbeddingGenerator();
        var intents = TextDataset.Load(Path.Combine(AppContext.BaseDirectory, "data", "assistant_intents.tsv"));
        var embedder = new TextEmbedder(generator);
        IntentFigure.Print(intents.Embed(embedder), tasks: 200, options.Seed);
        var assistants = new AssistantAgents(intents, embedder, veteransPerDomain: 2);
        var textCurves = new Population(assistants, options).Run();
        Report.Print(assistants, textCurves);
        Console.WriteLine($"Wrote {Report.Plot(assistants, textCurves, options.OutputDirectory)}");
    }

    Console.WriteLine($"Done in {clock.Elapsed.TotalSeconds:F0} s.");
    return 0;
});
return root.Parse(args).Invoke();
