using System.CommandLine;
using System.Globalization;

namespace SineRegression;

/// <summary>
/// MAML (or Reptile) on the sine-wave family of Finn et al. (2017): meta-train, measure the test MSE after 1, 5 and 10
/// steps next to an un-meta-trained baseline, and draw the paper's figure and the learning curve.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var iterations = new Option<long>("--iterations") { Description = "Meta-iterations (outer steps).", DefaultValueFactory = _ => 15000 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the weights and of the tasks.", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Folder the figures are written to.", DefaultValueFactory = _ => "out" };
        var reptile = new Option<bool>("--reptile") { Description = "Meta-train with Reptile instead of MAML." };
        var firstOrder = new Option<bool>("--first-order") { Description = "First-order MAML (no second derivatives)." };
        var metaBatch = new Option<int>("--meta-batch") { Description = "Tasks per meta-iteration.", DefaultValueFactory = _ => 25 };
        iterations.Validators.Add(r => Positive(r.GetValueOrDefault<long>(), "--iterations", r));
        metaBatch.Validators.Add(r => Positive(r.GetValueOrDefault<int>(), "--meta-batch", r));

        var root = new RootCommand("MAML or Reptile on sine-wave regression (Finn et al. 2017): meta-trains for about a minute, prints the test MSE after 1, 5 and 10 steps against a baseline, and writes out/sine_meta_learned.png, out/sine_baseline.png and out/sine_learning_curve.png.")
        {
            iterations, seed, output, reptile, firstOrder, metaBatch,
        };
        root.SetAction(r => SineExperiment.Run(new SampleOptions(
            r.GetValue(iterations), r.GetValue(seed), r.GetValue(output)!, r.GetValue(reptile), r.GetValue(firstOrder), r.GetValue(metaBatch), Shots: 10)));
        return root.Parse(args).Invoke();
    }

    private static void Positive(long value, string name, System.CommandLine.Parsing.OptionResult result)
    {
        if (value <= 0)
        {
            result.AddError($"{name} must be positive.");
        }
    }
}
