using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.Metric;
using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Tests.Metric;

/// <summary>
/// The metric learners predict in evaluation mode (running batch-norm statistics, no dropout) and train in training mode,
/// unless told to predict transductively.
/// </summary>
public class PredictionModeTests
{
    private static (EmbeddingMetaLearner Learner, ITaskSource Tasks, Sequential Embedding) Trained(string method)
    {
        var generator = new Generator(3);
        var embedding = Backbones.ConvEmbedding(generator, blocks: 2, hiddenChannels: 4, statistics: BatchNormStatistics.Running);
        var dataset = SyntheticGlyphs.Create(10, 6, seed: 2);
        EmbeddingMetaLearner learner = method == "protonet"
            ? new PrototypicalNetworks(embedding)
            : new SiameseNetwork(embedding, Backbones.ConvEmbeddingSize(8, blocks: 2, hiddenChannels: 4), generator);
        ITaskSource tasks = method == "protonet" ? new FewShotSampler(dataset, 5, 2, 3) : new PairSampler(dataset, 8, 8);
        var taskGenerator = new Generator(4);
        for (int i = 0; i < 5; i++)
        {
            learner.MetaStep([tasks.Sample(taskGenerator)]);
        }

        return (learner, new FewShotSampler(dataset, 5, 1, 4), embedding);
    }

    [Theory]
    [InlineData("protonet")]
    [InlineData("siamese")]
    public void PredictionsUseTheRunningStatisticsSoAQueryScoresAloneAsInItsBatch(string method)
    {
        var (learner, episodes, embedding) = Trained(method);
        Assert.True(learner.Model.IsTraining);
        var task = episodes.Sample(new Generator(9));
        var predictor = learner.CreateLearner();
        predictor.Condition(task.Support);
        Assert.False(learner.Model.IsTraining);
        var batch = predictor.Predict(task.Query.Inputs).ToDoubleArray();
        var alone = predictor.Predict(task.Query.Inputs.Slice(axis: 0, start: 0, end: 2)).ToDoubleArray();
        Assert.Equal(batch.Take(alone.Length).Select(v => Math.Round(v, 4)), alone.Select(v => Math.Round(v, 4)));

        // The next training step runs in training mode again, and moves the running statistics.
        var norm = ((ConvBlock)embedding.Children[0].Child).Norm;
        long tracked = norm.TrackedBatches;
        var dataset = SyntheticGlyphs.Create(10, 6, seed: 2);
        ITaskSource training = method == "protonet" ? new FewShotSampler(dataset, 5, 2, 3) : new PairSampler(dataset, 8, 8);
        learner.MetaStep([training.Sample(new Generator(5))]);
        Assert.True(learner.Model.IsTraining);
        Assert.True(norm.TrackedBatches > tracked);
    }

    [Fact]
    public void TransductivePredictionNormalizesEachBatchByItsOwnStatistics()
    {
        var (learner, episodes, _) = Trained("protonet");
        learner.PredictInEvaluationMode = false;
        learner.Model.Train();
        var task = episodes.Sample(new Generator(9));
        var predictor = learner.CreateLearner();
        predictor.Condition(task.Support);
        Assert.True(learner.Model.IsTraining);
        var batch = predictor.Predict(task.Query.Inputs).ToDoubleArray();
        var part = predictor.Predict(task.Query.Inputs.Slice(axis: 0, start: 0, end: 2)).ToDoubleArray();
        Assert.NotEqual(batch.Take(part.Length).Select(v => Math.Round(v, 4)), part.Select(v => Math.Round(v, 4)));
    }
}
