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
/// A tiny-width ResNet-12 (four blocks of 4-4-8-8 channels) trained for 40 iterations by prototypical networks (as the
/// embedding) and by second-order MAML (with a 5-way head), on the synthetic glyphs drawn at 16×16 (16 → 8 → 4 → 2 → 1):
/// each scores 5-way 1-shot on held-out classes well above chance (20%) and clearly above where it started (about 30%).
/// </summary>
public class ResNetLearningTests(ITestOutputHelper output)
{
    private static readonly InMemoryDataset Glyphs = Doubled(SyntheticGlyphs.Create(40, 8, seed: 11));
    private static readonly int[] TrainClasses = SyntheticGlyphs.Classes(Glyphs, 0, 30);
    private static readonly int[] TestClasses = SyntheticGlyphs.Classes(Glyphs, 30, 10);
    private static readonly int[] Widths = [4, 4, 8, 8];

    [Theory]
    [InlineData("protonet", 0.5, 0.15)]
    [InlineData("maml", 0.42, 0.12)]
    public void TinyResNet12LearnsHeldOutClassesAboveChance(string method, double minimum, double gain)
    {
        var generator = new Generator(21);
        IMetaLearner learner;
        ITaskSource tasks;
        long iterations;
        int steps;
        if (method == "protonet")
        {
            learner = new PrototypicalNetworks(Backbones.ResNet12(generator, widths: Widths, imageSize: 16, inChannels: 1),
                new PrototypicalOptions { Outer = new OuterLoopOptions { LearningRate = 0.01 } });
            (tasks, iterations, steps) = (new FewShotSampler(Glyphs, 10, 2, 3, TrainClasses), 40, 0);
        }
        else
        {
            var model = Backbones.ResNet12(generator, ways: 5, widths: Widths, imageSize: 16, inChannels: 1);
            learner = new Maml(model, TaskLosses.CrossEntropy, new MamlOptions
            {
                InnerLearningRate = 0.1,
                Outer = new OuterLoopOptions { LearningRate = 0.02 },
            });
            (tasks, iterations, steps) = (new FewShotSampler(Glyphs, 5, 1, 3, TrainClasses), 40, 3);
        }

        var test = new FewShotSampler(Glyphs, 5, 1, 3, TestClasses);
        double before = MetaEvaluator.Evaluate(learner.CreateLearner, test, 50, [steps], seed: 5)[0].MeanAccuracy!.Value;
        MetaTrainer.Train(learner, tasks, new MetaTrainingOptions { Iterations = iterations, MetaBatchSize = method == "protonet" ? 1 : 2, Seed = 3 });
        double after = MetaEvaluator.Evaluate(learner.CreateLearner, test, 50, [steps], seed: 5)[0].MeanAccuracy!.Value;
        output.WriteLine($"{method}: 5-way 1-shot accuracy {before:P1} before, {after:P1} after {iterations} iterations");
        Assert.True(after >= minimum, $"{method}: {after:P1} after training");
        Assert.True(after >= before + gain, $"{method}: {before:P1} -> {after:P1}");
    }

    /// <summary>The 8×8 glyphs with every pixel doubled: 16×16, large enough for four 2×2 poolings.</summary>
    private static InMemoryDataset Doubled(InMemoryDataset glyphs)
    {
        var labels = glyphs.Classes.SelectMany(c => glyphs.IndicesOf(c).Select(_ => c)).ToArray();
        var inputs = glyphs.GetInputs([.. glyphs.Classes.SelectMany(glyphs.IndicesOf)]);
        int n = inputs.Shape[0];
        var doubled = inputs.Reshape(n, 1, 8, 1, 8, 1).BroadcastTo([n, 1, 8, 2, 8, 2]).Reshape(n, 1, 16, 16);
        return new InMemoryDataset(doubled, labels);
    }
}
