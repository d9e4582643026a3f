using MetaLearn.Data;
using MetaLearn.Evaluation;
using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Optim;
using MetaLearn.Tensors;

namespace SineRegression;

/// <summary>The experiment: meta-train, evaluate against the baseline, draw the figures, print the RESULT line.</summary>
internal static class SineExperiment
{
    public static int Run(SampleOptions options)
    {
        Console.WriteLine($"Sine regression: {(options.Reptile ? "Reptile" : options.FirstOrder ? "first-order MAML" : "MAML")}, {options.Iterations} meta-iterations, meta-batch {options.MetaBatch}, K={options.Shots}, seed {options.Seed}");

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
            ? new Reptile(model, TaskLosses.MeanSquaredError, new ReptileOptions { InnerSteps = 5, InnerLearningRate = 0.02, OuterStepSize = 0.1, Outer = new OuterLoopOptions { Schedule = new LinearDecay(0.1, 0.0, Math.Max(1, options.Iterations)) } })
            : new Maml(model, TaskLosses.MeanSquaredError, new MamlOptions { InnerLearningRate = 0.01, InnerSteps = 1, FirstOrder = options.FirstOrder, TaskBatching = TaskBatching.Auto, Outer = new OuterLoopOptions { LearningRate = 0.001 } });
        var baselineLearner = new Maml(baseline, TaskLosses.MeanSquaredError, new MamlOptions { InnerLearningRate = 0.01 });

        var train = new SineTaskDistribution(options.Shots, options.Shots);
        var trainingOptions = new MetaTrainingOptions { Iterations = options.Iterations, MetaBatchSize = options.MetaBatch, Seed = options.Seed, ProgressInterval = Math.Max(1, options.Iterations / 200) };
        var (result, curve) = TrainingDisplay.Train(learner, train, trainingOptions);
        Console.WriteLine($"Meta-training took {result.Elapsed.TotalSeconds:F1} s ({1000 * result.Elapsed.TotalSeconds / Math.Max(1, result.Iterations):F2} ms per meta-iteration).");

        int[] steps = [0, 1, 5, 10];
        double step1K10 = 0, step10K10 = 0, baselineStep1K10 = 0;
        foreach (int k in new[] { 5, 10 })
        {
            var evalTasks = new SineTaskDistribution(k, 100);
            var meta = MetaEvaluator.Evaluate(learner.CreateLearner, evalTasks, 1000, steps, seed: 2024);
            var init = MetaEvaluator.Evaluate(baselineLearner.CreateLearner, evalTasks, 1000, steps, seed: 2024);
            Console.WriteLine($"Test MSE over 1000 tasks, K={k} (mean ± 95% CI):");
            Console.WriteLine("  steps   meta-learned          baseline (no meta-training)");
            for (int i = 0; i < steps.Length; i++)
            {
                Console.WriteLine($"  {steps[i],5}   {meta[i].MeanLoss,7:F3} ± {meta[i].LossConfidence95,5:F3}      {init[i].MeanLoss,7:F3} ± {init[i].LossConfidence95,5:F3}");
            }

            if (k == 10)
            {
                step1K10 = meta[1].MeanLoss;
                step10K10 = meta[3].MeanLoss;
                baselineStep1K10 = init[1].MeanLoss;
            }
        }

        Directory.CreateDirectory(options.OutputDirectory);
        string name = options.Reptile ? "Reptile" : "MAML";
        Console.WriteLine($"Wrote {SineFigure.Write(Path.Combine(options.OutputDirectory, "sine_meta_learned.png"), name, learner, options.Seed + 7, 10)}");
        Console.WriteLine($"Wrote {SineFigure.Write(Path.Combine(options.OutputDirectory, "sine_baseline.png"), "pretrained baseline", baselineLearner, options.Seed + 7, 10)}");
        Console.WriteLine($"Wrote {LearningCurveFigure.Write(Path.Combine(options.OutputDirectory, "sine_learning_curve.png"), name, curve)}");
        Console.WriteLine($"RESULT k=10 mse_step1={step1K10:F4} mse_step10={step10K10:F4} baseline_step1={baselineStep1K10:F4}");
        return 0;
    }
}
