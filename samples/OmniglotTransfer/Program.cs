using System.CommandLine;
using OmniglotTransfer;

// Feature, parameter and relation transfer from Omniglot background alphabets to held-out background alphabets, against
// training from scratch, 5-way 1-shot and 5-shot. See README.md.
var zip = new Option<string>("--zip")
{
    Description = "The Omniglot background zip (default: $METALEARN_OMNIGLOT, else ../shared/data/omniglot/images_background.zip)",
    DefaultValueFactory = _ => Environment.GetEnvironmentVariable("METALEARN_OMNIGLOT") is { Length: > 0 } configured ? configured : Path.Combine("..", "shared", "data", "omniglot", "images_background.zip"),
};
var cache = new Option<string?>("--cache") { Description = "A decoded-image cache file (read back instead of decoding the PNGs)" };
var checkpoints = new Option<string?>("--checkpoints") { Description = "A folder where the trained source model and relation network are saved, and read back on the next run instead of training again" };
var sources = new Option<int>("--source-alphabets") { Description = "How many alphabets (in ordinal order) are sources; the rest are targets", DefaultValueFactory = _ => 20 };
var channels = new Option<int>("--channels") { Description = "Filters per convolution of the Conv-4 backbone", DefaultValueFactory = _ => 32 };
var pretrain = new Option<double>("--pretrain-minutes") { Description = "Time limit of the source pre-training", DefaultValueFactory = _ => 4 };
var relation = new Option<double>("--relation-minutes") { Description = "Time limit of the relation network's episodic training", DefaultValueFactory = _ => 3 };
var tasks = new Option<int>("--tasks") { Description = "Target tasks per configuration", DefaultValueFactory = _ => 100 };
var steps = new Option<int>("--steps") { Description = "Fine-tuning steps of the trained heads, parameter transfer and scratch", DefaultValueFactory = _ => 50 };
var seed = new Option<ulong>("--seed") { Description = "Random seed", DefaultValueFactory = _ => 1 };
var root = new RootCommand("Omniglot transfer: background alphabets as sources, held-out background alphabets as targets.") { zip, cache, checkpoints, sources, channels, pretrain, relation, tasks, steps, seed };
root.SetAction(parse =>
{
    var options = new ExperimentOptions(parse.GetValue(zip)!, parse.GetValue(cache), parse.GetValue(checkpoints), parse.GetValue(sources), parse.GetValue(channels), parse.GetValue(pretrain), parse.GetValue(relation), parse.GetValue(tasks), parse.GetValue(steps), parse.GetValue(seed));
    if (!File.Exists(options.Zip) && !Directory.Exists(options.Zip))
    {
        Console.Error.WriteLine($"The Omniglot background set is not at '{Path.GetFullPath(options.Zip)}'; pass --zip or set METALEARN_OMNIGLOT.");
        return 2;
    }

    Experiment.Run(options);
    return 0;
});
return root.Parse(args).Invoke();
