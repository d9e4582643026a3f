using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Tests.NN;

public class BatchNormTests
{
    // Two channels, three examples: channel 0 = {1, 3, 5} (mean 3, biased var 8/3, unbiased 4);
    // channel 1 = {2, 4, 9} (mean 5, biased var 26/3, unbiased 13).
    private static readonly double[] Values = [1, 2, 3, 4, 5, 9];

    private static Tensor Input() => Tensor.FromArray(Values, 3, 2);

    [Fact]
    public void RunningPolicyUpdatesBuffersWithUnbiasedVarianceAndEvalUsesThem()
    {
        var bn = new BatchNorm1d(2, BatchNormStatistics.Running, dtype: DType.Float64);
        Assert.Equal(["running_mean", "running_var"], bn.NamedBuffers().Select(b => b.Name));

        var y = bn.Forward(Input());
        NNTestData.AssertClose([0.3, 0.5], bn.RunningMean!.ToDoubleArray(), 1e-12);     // 0.9·0 + 0.1·mean
        NNTestData.AssertClose([1.3, 2.2], bn.RunningVar!.ToDoubleArray(), 1e-12);      // 0.9·1 + 0.1·unbiased var
        Assert.Equal(1, bn.TrackedBatches);

        // Training output uses the batch's biased statistics.
        Assert.Equal((1 - 3) / Math.Sqrt((8.0 / 3) + 1e-5), y.GetValue(0, 0), 1e-12);
        Assert.Equal((9 - 5) / Math.Sqrt((26.0 / 3) + 1e-5), y.GetValue(2, 1), 1e-12);

        // A second batch blends again: 0.9·0.3 + 0.1·3 = 0.57.
        bn.Forward(Input());
        Assert.Equal(0.57, bn.RunningMean!.GetFlat(0), 1e-12);

        bn.Eval();
        var e = bn.Forward(Tensor.FromArray(new double[] { 1, 2 }, 1, 2));
        double var0 = (0.9 * 1.3) + 0.4;
        Assert.Equal((1 - 0.57) / Math.Sqrt(var0 + 1e-5), e.GetValue(0, 0), 1e-12);
        Assert.Equal(2, bn.TrackedBatches); // eval does not update

        bn.ResetRunningStatistics();
        Assert.Equal([0.0, 0.0], bn.RunningMean!.ToDoubleArray());
        Assert.Equal([1.0, 1.0], bn.RunningVar!.ToDoubleArray());
    }

    [Fact]
    public void RunningPolicyCountsBatchesInACounterNamedAsPyTorchDoes()
    {
        var bn = new BatchNorm2d(2, BatchNormStatistics.Running);
        var (name, counter) = Assert.Single(bn.NamedCounters());
        Assert.Equal("num_batches_tracked", name);
        bn.Forward(Tensor.RandomNormal(new Generator(1), [3, 2, 2, 2]));
        bn.Forward(Tensor.RandomNormal(new Generator(2), [3, 2, 2, 2]));
        Assert.Equal(2, counter.Value);
        Assert.Equal(2, bn.TrackedBatches);
        counter.Value = 7;
        Assert.Equal(7, bn.TrackedBatches);
        Assert.Throws<ArgumentOutOfRangeException>(() => counter.Value = -1);
        bn.ResetRunningStatistics();
        Assert.Equal(0, bn.TrackedBatches);

        Assert.Empty(new BatchNorm2d(2).NamedCounters());
        var net = Backbones.OmniglotConvNet(5, new Generator(3), hiddenChannels: 4, statistics: BatchNormStatistics.Running);
        Assert.Equal(["features.0.norm.num_batches_tracked", "features.1.norm.num_batches_tracked", "features.2.norm.num_batches_tracked", "features.3.norm.num_batches_tracked"], net.NamedCounters().Select(c => c.Name));
    }

    [Fact]
    public void BatchPolicyKeepsNoStateAndNormalizesWithTheBatchInEval()
    {
        var bn = new BatchNorm1d(2, dtype: DType.Float64);
        Assert.Equal(BatchNormStatistics.Batch, bn.Statistics);
        Assert.Empty(bn.NamedBuffers());
        Assert.Null(bn.RunningMean);
        var train = bn.Forward(Input()).ToDoubleArray();
        bn.Eval();
        var eval = bn.Forward(Input()).ToDoubleArray();
        Assert.Equal(train, eval);
        Assert.Equal((5 - 3) / Math.Sqrt((8.0 / 3) + 1e-5), eval[4], 1e-12);
    }

    [Fact]
    public void AffineParametersScaleAndShiftPerChannel()
    {
        var bn = new BatchNorm2d(2, dtype: DType.Float64);
        Assert.Equal(["weight", "bias"], bn.NamedParameters().Select(p => p.Name));
        Assert.Equal([1.0, 1.0], bn.Parameters()[0].ToDoubleArray());
        Assert.Equal([0.0, 0.0], bn.Parameters()[1].ToDoubleArray());
        var x = NNTestData.Uniform(3, [4, 2, 3, 3]);
        var gamma = Tensor.FromArray(new double[] { 2, -1 });
        var beta = Tensor.FromArray(new double[] { 0.5, 3 });
        var y = bn.Forward(x, [gamma, beta]);
        for (int c = 0; c < 2; c++)
        {
            var channel = y.Slice(1, c, c + 1);
            Assert.Equal(beta.GetFlat(c), channel.Mean().Item(), 1e-10);
            double variance = channel.Variance([0, 1, 2, 3]).Item();
            Assert.Equal(gamma.GetFlat(c) * gamma.GetFlat(c), variance, 1e-3);
        }
    }

    [Fact]
    public void RejectsBadInputs()
    {
        var bn2 = new BatchNorm2d(3);
        var e = Assert.Throws<ArgumentException>(() => bn2.Forward(Tensor.Zeros(2, 3, 4)));
        Assert.Equal("input", e.ParamName);
        Assert.Contains("[2, 3, 4]", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => bn2.Forward(Tensor.Zeros(2, 4, 2, 2)));
        Assert.Throws<ArgumentException>(() => new BatchNorm1d(3).Forward(Tensor.Zeros(1, 3)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNorm1d(3, momentum: 2));
    }
}
