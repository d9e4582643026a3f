using System.Globalization;
using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Tensors;
using SineRegression;

// MAML (or Reptile) on the sine-wave family of Finn et al. (2017). See README.md for the flags.
var options = SampleOptions.Parse(args);
var inv = CultureInfo.InvariantCulture;
Console.WriteLine(string.Create(inv, $"Sine regression: {(options.Reptile ? "Reptile" : options.FirstOrder ? "first-order MAML" : "MAML")}, {options.Iterations} meta-iterations, meta-batch {options.MetaBatch}, K={options.Shots}, seed {options.Seed}"));

var generator = new Generator(options.Seed);
var model = new Sequential(
    new Linear(1, 40, generator), new Activation(ActivationKind.Relu),
    new Linear(40, 40, generator), new Activation(ActivationKind.Relu),
    new Linear(40, 1, generator));
var baseline = new Sequential(
    new Linear(1, 40, generator), new Activation(ActivationKind.Relu),
    new Linear(40, 40, generator), new Activation(ActivationKind.Relu),
    new Linear(40, 1, generator));

IMetaLearner learner = options.Reptile
    ? new Reptile(model, TaskLosses.MeanSquaredError, new ReptileOptions { InnerSteps = 5, InnerLearningRate = 0.02, OuterStepSize = 0.1, FinalOuterStepSize = 0.0, AnnealIterations = options.Iterations })
    : new Maml(model, TaskLosses.MeanSquaredError, new MamlOptions { InnerLearningRate = 0.01, InnerSteps = 1, FirstOrder = options.FirstOrder, Outer = new OuterLoopOptions { LearningRate = 0.001 } });
var baselineLearner = new Maml(baseline, TaskLosses.MeanSquaredError, new MamlOptions { InnerLearningRate = 0.01 });

var train = new SineTaskDistribution(options.Shots, options.Shots);
var result = MetaTrainer.Train(learner, train, new MetaTrainingOptions { Iterations = options.Iterations, MetaBatchSize = options.MetaBatch, Seed = options.Seed, ProgressInterval = Math.Max(1, options.Iterations / 20) }, progress: new SynchronousProgress<MetaTrainingProgress>(p => Console.WriteLine(string.Create(inv, $"  iteration {p.Iteration,6}/{p.TotalIterations}  meta-loss {p.MetaLoss,8:F4}  {p.Elapsed.TotalSeconds,6:F1}s"))));
Console.WriteLine(string.Create(inv, $"Meta-training took {result.Elapsed.TotalSeconds:F1} s ({1000 * result.Elapsed.TotalSeconds / Math.Max(1, result.Iterations):F2} ms per meta-iteration)."));

int[] steps = [0, 1, 5, 10];
double step1K10 = 0, step10K10 = 0, baselineStep1K10 = 0;
foreach (int k in new[] { 5, 10 })
{
    var evalTasks = new SineTaskDistribution(k, 100);
    var meta = MetaEvaluator.Evaluate(learner.CreateLearner, evalTasks, 1000, steps, seed: 2024);
    var init = MetaEvaluator.Evaluate(baselineLearner.CreateLearner, evalTasks, 1000, steps, seed: 2024);
    Console.WriteLine(string.Create(inv, $"Test MSE over 1000 tasks, K={k} (mean ± 95% CI):"));
    Console.WriteLine("  steps   meta-learned          baseline (no meta-training)");
    for (int i = 0; i < steps.Length; i++)
    {
        Console.WriteLine(string.Create(inv, $"  {steps[i],5}   {meta[i].MeanLoss,7:F3} ± {meta[i].LossConfidence95,5:F3}      {init[i].MeanLoss,7:F3} ± {init[i].LossConfidence95,5:F3}"));
    }

    if (k == 10)
    {
        step1K10 = meta[1].MeanLoss;
        step10K10 = meta[3].MeanLoss;
        baselineStep1K10 = init[1].MeanLoss;
    }
}

Directory.CreateDirectory(options.OutputDirectory);
foreach (var (name, fileName, figureLearner) in new[] { (options.Reptile ? "Reptile" : "MAML", "sine_meta_learned.png", learner), ("pretrained baseline", "sine_baseline.png", (IMetaLearner)baselineLearner) })
{
    Console.WriteLine($"Wrote {SineFigure.Write(options.OutputDirectory, fileName, name, figureLearner, options.Seed + 7, 10)}");
}

Console.WriteLine(string.Create(inv, $"RESULT k=10 mse_step1={step1K10:F4} mse_step10={step10K10:F4} baseline_step1={baselineStep1K10:F4}"));
