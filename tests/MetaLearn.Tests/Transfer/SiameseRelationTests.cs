using MetaLearn.Data;
using MetaLearn.Evaluation;
using MetaLearn.MetaLearning;
using MetaLearn.Metric;
using MetaLearn.NN;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;
using MetaLearn.Transfer;

namespace MetaLearn.Tests.Transfer;

public class SiameseRelationTests
{
    private static SiameseNetwork NewSiamese(ulong seed, DType dtype = DType.Float32, SiameseLoss loss = SiameseLoss.BinaryCrossEntropy)
    {
        var generator = new Generator(seed);
        return new SiameseNetwork(Backbones.Mlp([10, 32, 16], ActivationKind.Relu, generator, dtype), 16, generator, new SiameseOptions { Loss = loss, Outer = new OuterLoopOptions { LearningRate = 0.003 } });
    }

    [Theory]
    [InlineData(SiameseLoss.BinaryCrossEntropy)]
    [InlineData(SiameseLoss.Contrastive)]
    public void RelateWithTheNetworksOwnWeightsIsItsPairLogits(SiameseLoss loss)
    {
        var siamese = NewSiamese(1, loss: loss);
        var generator = new Generator(2);
        var queries = Tensor.RandomNormal(generator, [3, 10]);
        var references = Tensor.RandomNormal(generator, [4, 10]);
        var relation = new SiameseRelation(siamese);
        var related = relation.Relate(queries, references, relation.Network.Parameters());

        // The embedding has no batch statistics, so embedding each side on its own gives the same vectors.
        var expected = siamese.PairLogits(siamese.Embed(queries), siamese.Embed(references));
        Assert.Equal([3, 4], related.Shape.ToArray());
        Assert.Equal(expected.ToDoubleArray(), related.ToDoubleArray(), new Tolerance(1e-6));
    }

    [Fact]
    public void RelateIsDifferentiableInItsWeightsInFloat64()
    {
        var siamese = NewSiamese(3, DType.Float64);
        var generator = new Generator(4);
        var queries = Tensor.RandomNormal(generator, [2, 10], dtype: DType.Float64);
        var references = Tensor.RandomNormal(generator, [3, 10], dtype: DType.Float64);
        var relation = new SiameseRelation(siamese);
        GradientChecker.Verify(w => RelationScores.PairLoss(relation.Relate(queries, references, w), [0, 1], [1, 0, 1]), [.. relation.Network.Parameters().Select(p => p.Clone())], order: 1);
    }

    [Fact]
    public void BadWeightsAndShapesAreNamed()
    {
        var relation = new SiameseRelation(NewSiamese(5));
        var queries = Tensor.Zeros([2, 10]);
        var weights = relation.Network.Parameters();
        var few = Assert.Throws<ArgumentException>(() => relation.Relate(queries, queries, [.. weights.Skip(1)]));
        Assert.Equal("weights", few.ParamName);
        var shape = Assert.Throws<ArgumentException>(() => relation.Relate(queries, Tensor.Zeros([2, 9]), weights));
        Assert.Equal("references", shape.ParamName);
        Assert.Throws<ArgumentNullException>(() => new SiameseRelation(null!));
    }

    [Fact]
    public void ASiameseNetworkTrainedOnSourcePairsTransfersItsSimilarityToNewClasses()
    {
        var sourceData = SyntheticClasses.Create(60, 12, seed: 1);
        var target = new FewShotSampler(SyntheticClasses.Create(30, 12, seed: 2), ways: 5, shots: 1, queries: 5);
        var trained = NewSiamese(6);
        var untrained = NewSiamese(6);
        MetaTrainer.Train(trained, new PairSampler(sourceData, 32, 32), new MetaTrainingOptions { Iterations = 250, MetaBatchSize = 1, Seed = 7 });

        var options = new RelationTransferOptions { LearningRate = 0.01 };
        var fromSource = MetaEvaluator.Evaluate(() => new RelationTransferLearner(new SiameseRelation(trained), options), target, 40, [0], seed: 8)[0].Accuracy!;
        var fromScratch = MetaEvaluator.Evaluate(() => new RelationTransferLearner(new SiameseRelation(untrained), options), target, 40, [0], seed: 8)[0].Accuracy!;
        Assert.True(fromSource.Lower > fromScratch.Upper, $"transferred {fromSource.Mean:F3} ± {fromSource.HalfWidth:F3}, untrained {fromScratch.Mean:F3} ± {fromScratch.HalfWidth:F3}");
    }
}
