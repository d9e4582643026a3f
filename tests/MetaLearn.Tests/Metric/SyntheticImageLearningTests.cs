using MetaLearn.Data;
using MetaLearn.Evaluation;
using MetaLearn.MetaLearning;
using MetaLearn.Metric;
using MetaLearn.NN;
using MetaLearn.Optim;
using MetaLearn.Tensors;
using Xunit.Abstractions;

namespace MetaLearn.Tests.Metric;

/// <summary>
/// Every few-shot method of the Omniglot sample, meta-trained for a few seconds on synthetic 8×8 glyphs (30 classes) and
/// scored 5-way 1-shot on 10 classes it never saw: each must end far above chance (20%), and the metric learners and
/// MAML clearly above where they started. Reptile's gain over plain fine-tuning from its random start needs thousands
/// of meta-iterations (Nichol et al. ran 100,000), so for it the test checks the whole path (training, then 10 steps of
/// adaptation) ends well above chance.
/// </summary>
public class SyntheticImageLearningTests(ITestOutputHelper output)
{
    private static readonly InMemoryDataset Glyphs = SyntheticGlyphs.Create(40, 8, seed: 11);
    private static readonly int[] TrainClasses = SyntheticGlyphs.Classes(Glyphs, 0, 30);
    private static readonly int[] TestClasses = SyntheticGlyphs.Classes(Glyphs, 30, 10);

    /// <summary>Method, the accuracy it must reach, and the gain over its untrained start it must show.</summary>
    public static TheoryData<string, double, double> Methods => new()
    {
        { "protonet", 0.6, 0.15 },
        { "siamese", 0.5, 0.15 },
        { "siamese-episodic", 0.55, 0.15 },
        { "matching", 0.6, 0.15 },
        { "r2d2", 0.6, 0.15 },
        { "maml", 0.5, 0.15 },
        { "fomaml", 0.5, 0.15 },
        { "reptile", 0.4, -0.05 },
    };

    [Theory]
    [MemberData(nameof(Methods))]
    public void LearnsHeldOutClassesWellAboveChance(string method, double minimum, double gain)
    {
        var (learner, tasks, iterations, steps) = Create(method);
        var test = new FewShotSampler(Glyphs, 5, 1, 3, TestClasses);
        double before = MetaEvaluator.Evaluate(learner.CreateLearner, test, 100, [steps], seed: 5)[0].MeanAccuracy!.Value;
        MetaTrainer.Train(learner, tasks, new MetaTrainingOptions { Iterations = iterations, MetaBatchSize = method is "maml" or "fomaml" or "reptile" ? 4 : 1, Seed = 3 });
        double after = MetaEvaluator.Evaluate(learner.CreateLearner, test, 100, [steps], seed: 5)[0].MeanAccuracy!.Value;
        output.WriteLine($"{method}: 5-way 1-shot accuracy {before:P1} before, {after:P1} after {iterations} iterations");
        Assert.True(after >= minimum, $"{method}: {after:P1} after training");
        Assert.True(after >= before + gain, $"{method}: {before:P1} -> {after:P1}");
    }

    private static (IMetaLearner Learner, ITaskSource Tasks, long Iterations, int Steps) Create(string method)
    {
        var generator = new Generator(21);
        var outer = new OuterLoopOptions { LearningRate = method is "protonet" or "siamese" or "matching" or "r2d2" ? 0.01 : 0.005 };
        var episodes = new FewShotSampler(Glyphs, 5, 1, 3, TrainClasses);
        return method switch
        {
            "protonet" => (new PrototypicalNetworks(Backbones.ConvEmbedding(generator, blocks: 2, hiddenChannels: 16), new PrototypicalOptions { Outer = outer }), new FewShotSampler(Glyphs, 10, 2, 3, TrainClasses), 100, 0),
            "siamese" => (new SiameseNetwork(Backbones.ConvEmbedding(generator, blocks: 2, hiddenChannels: 16), Backbones.ConvEmbeddingSize(8, 2, 16), generator, new SiameseOptions { Outer = outer }), new PairSampler(Glyphs, 16, 16, TrainClasses), 100, 0),
            "siamese-episodic" => (new SiameseNetwork(Backbones.ConvEmbedding(generator, blocks: 2, hiddenChannels: 16), Backbones.ConvEmbeddingSize(8, 2, 16), generator, new SiameseOptions { Outer = outer }), new FewShotSampler(Glyphs, 10, 1, 3, TrainClasses), 100, 0),
            "matching" => (new MatchingNetworks(Backbones.ConvEmbedding(generator, blocks: 2, hiddenChannels: 16), new MatchingOptions { Temperature = 0.1, Outer = outer }), new FewShotSampler(Glyphs, 10, 1, 3, TrainClasses), 100, 0),
            "r2d2" => (new RidgeRegressionDiscriminator(Backbones.ConvEmbedding(generator, blocks: 2, hiddenChannels: 16), new RidgeRegressionOptions { Outer = outer }), new FewShotSampler(Glyphs, 10, 1, 3, TrainClasses), 100, 0),
            "maml" or "fomaml" => (new Maml(new ConvNet(5, generator, blocks: 2, hiddenChannels: 16, imageSize: 8), TaskLosses.CrossEntropy, new MamlOptions { InnerLearningRate = 0.4, FirstOrder = method == "fomaml", Outer = outer }), episodes, 60, 3),
            "reptile" => (new Reptile(new ConvNet(5, generator, blocks: 2, hiddenChannels: 16, imageSize: 8), TaskLosses.CrossEntropy, new ReptileOptions { InnerSteps = 5, InnerLearningRate = 0.1, OuterStepSize = 1, Outer = new OuterLoopOptions { Schedule = new LinearDecay(1, 0.2, 30) }, IncludeQueryInInnerLoop = true }), new FewShotSampler(Glyphs, 5, 3, 1, TrainClasses), 30, 10),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "unknown method"),
        };
    }
}
