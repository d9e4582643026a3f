using MetaLearn.Data;
using MetaLearn.Evaluation;
using MetaLearn.MetaLearning;
using MetaLearn.Metric;
using MetaLearn.NN;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;
using MetaLearn.Transfer;

namespace MetaLearn.Tests.Transfer;

public class RelationTransferTests
{
    private static RelationNetwork NewRelation(ulong seed, double learningRate = 0.001)
    {
        var generator = new Generator(seed);
        var options = new RelationOptions { Outer = new OuterLoopOptions { LearningRate = learningRate } };
        return RelationNetwork.Create(Backbones.Mlp([10, 32, 16], ActivationKind.Relu, generator), features: 16, hidden: 16, generator, options: options);
    }

    /// <summary>Meta-trains on one episode per step (Sung et al.'s setting) and returns each episode's loss.</summary>
    private static List<double> Train(RelationNetwork relation, ITaskSource source, long episodes, ulong seed)
    {
        var losses = new List<double>();
        MetaTrainer.Train(relation, source, new MetaTrainingOptions { Iterations = episodes, MetaBatchSize = 1, Seed = seed, ProgressInterval = 1 }, progress: new LossRecorder(losses));
        return losses;
    }

    [Fact]
    public void TransferredRelationBeatsTheSameNetworkTrainedFromScratchOnTheTarget()
    {
        var source = new FewShotSampler(SyntheticClasses.Create(60, 12, seed: 1), ways: 5, shots: 1, queries: 5);
        var target = new FewShotSampler(SyntheticClasses.Create(30, 12, seed: 2), ways: 5, shots: 1, queries: 5);
        var transferred = NewRelation(3, learningRate: 0.003);
        var losses = Train(transferred, source, episodes: 250, seed: 4);
        Assert.True(losses.TakeLast(50).Average() < losses.Take(50).Average(), "the source training loss did not fall");

        var scratch = NewRelation(3);
        var options = new RelationTransferOptions { LearningRate = 0.01 };
        var fromSource = MetaEvaluator.Evaluate(() => new RelationTransferLearner(transferred, options), target, 40, [0, 5], seed: 5);
        var fromScratch = MetaEvaluator.Evaluate(() => new RelationTransferLearner(scratch, options), target, 40, [0, 5], seed: 5);
        var transferAccuracy = fromSource[1].Accuracy!;
        var scratchAccuracy = fromScratch[1].Accuracy!;
        Assert.True(transferAccuracy.Lower > scratchAccuracy.Upper, $"transferred {transferAccuracy.Mean:F3} ± {transferAccuracy.HalfWidth:F3}, from scratch {scratchAccuracy.Mean:F3} ± {scratchAccuracy.HalfWidth:F3}");
        Assert.True(fromSource[0].Accuracy!.Mean > 0.7, $"the transferred relation alone scores {fromSource[0].Accuracy!.Mean:F3}");
    }

    [Fact]
    public void RelateScoresAllPairsLikeTheStackedPairForward()
    {
        var relation = NewRelation(6);
        var generator = new Generator(7);
        var queries = Tensor.RandomNormal(generator, [3, 10]);
        var references = Tensor.RandomNormal(generator, [4, 10]);
        var all = relation.Relate(queries, references, relation.Network.Parameters());
        var pairs = Tensor.Stack([queries.IndexSelect(0, [2]).Squeeze(0), references.IndexSelect(0, [1]).Squeeze(0)]).Unsqueeze(0);
        Assert.Equal(all.GetValue(2, 1), relation.Network.Forward(pairs).Item(), 5);
        Assert.Equal([3, 4], all.Shape.ToArray());
    }

    [Fact]
    public void EmbeddingDistanceRelationIsDifferentiableInFloat64()
    {
        var generator = new Generator(8);
        var relation = new EmbeddingDistanceRelation(Backbones.Mlp([3, 4, 2], ActivationKind.Tanh, generator, DType.Float64), RelationDistance.SquaredEuclidean, DType.Float64);
        var queries = Tensor.RandomNormal(generator, [2, 3], dtype: DType.Float64);
        var references = Tensor.RandomNormal(generator, [3, 3], dtype: DType.Float64);
        GradientChecker.Verify(w => RelationScores.PairLoss(relation.Relate(queries, references, w), [0, 1], [1, 0, 1]), [.. relation.Parameters().Select(p => p.Clone())], order: 1);
    }

    private sealed class LossRecorder(List<double> losses) : IProgress<MetaTrainingProgress>
    {
        public void Report(MetaTrainingProgress value) => losses.Add(value.MetaLoss);
    }
}
