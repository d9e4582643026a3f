using MetaLearn.Data;
using MetaLearn.Data.Images;
using MetaLearn.MetaLearning;
using MetaLearn.Metric;
using MetaLearn.NN;
using MetaLearn.Optim;
using MetaLearn.Tensors;

namespace OmniglotFewShot;

/// <summary>Builds the network, the meta-learner and the training tasks that <see cref="RunSettings"/> describe.</summary>
internal static class LearnerFactory
{
    /// <summary>A new meta-learner, its weights drawn from the settings' seed.</summary>
    public static IMetaLearner Create(RunSettings s)
    {
        var generator = new Generator(s.Seed);
        var schedule = new StepLR(s.LearningRate, s.LearningRateStep > 0 ? s.LearningRateStep : Math.Max(1, s.Iterations / 4), 0.5);
        var outer = new OuterLoopOptions { LearningRate = s.LearningRate };
        switch (s.Method)
        {
            case FewShotMethod.ProtoNet:
                return new PrototypicalNetworks(Backbones.ConvEmbedding(generator, hiddenChannels: s.Hidden, statistics: s.BatchNorm), new PrototypicalOptions { Outer = outer with { Schedule = schedule } });
            case FewShotMethod.Matching:
                // τ = 0.1 (a scale of 10 on the cosines): with 60-way episodes the paper's τ = 1 leaves the attention nearly flat.
                return new MatchingNetworks(Backbones.ConvEmbedding(generator, hiddenChannels: s.Hidden, statistics: s.BatchNorm), new MatchingOptions { Temperature = 0.1, Outer = outer with { Schedule = schedule } });
            case FewShotMethod.R2D2:
                return new RidgeRegressionDiscriminator(Backbones.ConvEmbedding(generator, hiddenChannels: s.Hidden, statistics: s.BatchNorm), new RidgeRegressionOptions { Outer = outer with { Schedule = schedule } });
            case FewShotMethod.Siamese:
                var embedding = Backbones.ConvEmbedding(generator, hiddenChannels: s.Hidden, statistics: s.BatchNorm);
                return new SiameseNetwork(embedding, Backbones.ConvEmbeddingSize(s.ImageSize, hiddenChannels: s.Hidden), generator, new SiameseOptions { Outer = outer with { Schedule = schedule } });
            case FewShotMethod.Maml:
            case FewShotMethod.FoMaml:
                var net = Backbones.OmniglotConvNet(s.TrainWays, generator, s.Hidden, s.ImageSize);
                var mamlOptions = new MamlOptions { InnerLearningRate = s.InnerLearningRate, InnerSteps = s.InnerSteps, FirstOrder = s.Method == FewShotMethod.FoMaml, Outer = outer };
                return new Maml(net, TaskLosses.CrossEntropy, s.MamlPlusPlus ? PlusPlus(mamlOptions, s) : mamlOptions);
            case FewShotMethod.Reptile:
                // Nichol et al.'s Omniglot setting: Adam with β1 = 0 inside, plain SGD with ε annealed from 1 to 0 outside.
                var model = Backbones.OmniglotConvNet(s.TrainWays, generator, s.Hidden, s.ImageSize);
                return new Reptile(model, TaskLosses.CrossEntropy, new ReptileOptions
                {
                    InnerSteps = s.InnerSteps,
                    InnerOptimizer = new DifferentiableAdam(s.InnerLearningRate, beta1: 0),
                    OuterStepSize = s.LearningRate,
                    Outer = new OuterLoopOptions { Schedule = new LinearDecay(s.LearningRate, 0, Math.Max(1, s.Iterations)) },
                    IncludeQueryInInnerLoop = true,
                });
            default:
                throw new ArgumentOutOfRangeException(nameof(s), s.Method, "unknown method");
        }
    }

    /// <summary>
    /// MAML++'s five options with the paper's Omniglot schedules (Antoniou et al. 2019, 150 epochs of 500 iterations), the
    /// run's iterations standing for the paper's 150 epochs: the multi-step loss annealed over the first 15 "epochs" (a tenth
    /// of the run), first order for the first 50 (a third), the outer rate annealed along a cosine from --lr to 1e-5 over the
    /// whole run, learned per-layer per-step inner rates and per-step batch-norm weights and biases.
    /// </summary>
    private static MamlOptions PlusPlus(MamlOptions options, RunSettings s)
    {
        long iterations = Math.Max(1, s.Iterations);
        return options with
        {
            MultiStepLossIterations = iterations * 15 / 150,
            FirstOrderIterations = iterations * 50 / 150,
            Outer = options.Outer with { Schedule = new CosineAnnealing(s.LearningRate, iterations, minimum: Math.Min(1e-5, s.LearningRate)) },
            LearnPerStepLearningRates = true,
            PerStepBatchNormWeights = true,
        };
    }

    /// <summary>The training tasks over <paramref name="classes"/>: pairs for the Siamese network (unless episodic), episodes for the others.</summary>
    public static ITaskSource TrainingTasks(RunSettings s, ImageDataset dataset, IReadOnlyList<int> classes)
    {
        ITaskSource tasks = s.Method == FewShotMethod.Siamese && !s.Episodic
            ? new PairSampler(dataset, s.TrainQueries, s.TrainQueries, classes, s.WithinAlphabetPairs ? c => dataset.ClassInfo[c].Group : null)
            : new FewShotSampler(dataset, s.TrainWays, s.TrainShots, s.TrainQueries, classes);
        return s.Distort ? new DistortedTasks(tasks, new AffineDistortion()) : tasks;
    }
}
