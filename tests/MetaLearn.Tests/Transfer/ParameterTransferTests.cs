using MetaLearn.NN;
using MetaLearn.Serialization;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Serialization;
using MetaLearn.Tests.Data;
using MetaLearn.Tests.Shared;
using MetaLearn.Transfer.FineTuning;

namespace MetaLearn.Tests.Transfer;

public class ParameterTransferTests
{
    private static ConvNet Net(int ways, ulong seed) => new(ways, new Generator(seed), blocks: 2, hiddenChannels: 4, imageSize: 8, statistics: BatchNormStatistics.Running);

    /// <summary>A 5-way source model, saved as a checkpoint in <paramref name="folder"/>.</summary>
    private static (ConvNet Source, string Path) SavedFiveWay(ScratchFolder folder)
    {
        var path = folder.PathOf("source.safetensors");
        var source = Net(5, 1);
        ModuleCheckpoint.Save(source, path);
        return (source, path);
    }

    [Fact]
    public void MatchingByNameCopiesTheBodyAndReportsTheHeadOfAnotherShape()
    {
        var source = Net(5, 1);
        var target = Net(20, 2);
        var headBefore = target.Classifier.Parameters()[0].ToArray();
        var report = ParameterTransfer.CopyMatching(source, target, ShapeMismatchPolicy.Skip);

        Assert.Equal(["classifier.weight", "classifier.bias"], report.Mismatched.Select(m => m.Name));
        Assert.Equal([5, 16], report.Mismatched[0].SourceShape.ToArray());
        Assert.Equal([20, 16], report.Mismatched[0].TargetShape.ToArray());
        Assert.Empty(report.Missing);
        Assert.Empty(report.Unused);
        Assert.Contains("features.1.norm.running_mean", report.Copied);
        Assert.False(report.IsComplete);
        Assert.Contains("'classifier.weight' is F32 [5, 16] in the source; the target expects F32 [20, 16]", report.ToString(), StringComparison.Ordinal);
        foreach (var ((name, s), t) in source.Features.NamedParameters().Zip(target.Features.Parameters()))
        {
            Assert.True(s.ToArray().SequenceEqual(t.ToArray()), name);
        }

        Assert.Equal(headBefore, target.Classifier.Parameters()[0].ToArray());
        Assert.Equal(report.Anchors.Count, target.Parameters().Count);
        Assert.Null(report.Anchors[target.HeadParameterStart]);
        Assert.NotNull(report.Anchors[0]);
    }

    [Fact]
    public void ReinitializePolicyDrawsANewHeadAndThrowPolicyChangesNothing()
    {
        var source = Net(5, 1);
        var target = Net(20, 2);
        var headBefore = target.Classifier.Parameters()[0].ToArray();
        var bodyBefore = target.Parameters()[0].ToArray();
        var error = Assert.Throws<InvalidDataException>(() => ParameterTransfer.CopyMatching(source, target, ShapeMismatchPolicy.Throw));
        Assert.Contains("classifier.weight", error.Message, StringComparison.Ordinal);
        Assert.Equal(bodyBefore, target.Parameters()[0].ToArray());

        Assert.Throws<ArgumentException>(() => ParameterTransfer.CopyMatching(source, target, ShapeMismatchPolicy.Reinitialize));
        var report = ParameterTransfer.CopyMatching(source, target, ShapeMismatchPolicy.Reinitialize, new Generator(3));
        Assert.Equal(["classifier.weight", "classifier.bias"], report.Reinitialized);
        Assert.NotEqual(headBefore, target.Classifier.Parameters()[0].ToArray());
        Assert.All(target.Classifier.Parameters()[1].ToArray(), b => Assert.Equal(0f, b));
    }

    [Fact]
    public void CheckpointSourceIsMatchedTheSameWay()
    {
        using var folder = new ScratchFolder();
        var (source, path) = SavedFiveWay(folder);
        var target = Net(20, 2);
        var report = ParameterTransfer.FromCheckpoint(target, path, ShapeMismatchPolicy.Reinitialize, new Generator(3));
        Assert.Equal(["classifier.weight", "classifier.bias"], report.Mismatched.Select(m => m.Name));
        Assert.Equal(report.Mismatched.Select(m => m.Name), report.Reinitialized);
        Assert.Equal(source.Parameters()[0].ToArray(), target.Parameters()[0].ToArray());
        Assert.Throws<InvalidDataException>(() => ParameterTransfer.FromCheckpoint(Net(20, 4), path, ShapeMismatchPolicy.Throw));
    }

    [Fact]
    public void ACheckpointLoadAndALiveTransferReportTheSameMismatchAlike()
    {
        using var folder = new ScratchFolder();
        var (source, path) = SavedFiveWay(folder);

        var loaded = ModuleCheckpoint.Load(Net(20, 2), path, strict: false).Mismatched;
        var copied = ParameterTransfer.CopyMatching(source, Net(20, 2)).Mismatched;
        var transferred = ParameterTransfer.FromCheckpoint(Net(20, 2), path).Mismatched;

        var expected = new TensorMismatch("classifier.weight", SafeTensorsDType.Float32, [5, 16], SafeTensorsDType.Float32, [20, 16]);
        Assert.Equal(expected, loaded[0]);
        Assert.Equal(expected.GetHashCode(), loaded[0].GetHashCode());
        Assert.Equal(loaded, copied);
        Assert.Equal(loaded, transferred);
        Assert.Equal(2, loaded.Count);
        Assert.NotEqual(expected, expected with { TargetShape = [20, 15] });
    }

    [Fact]
    public void ACounterStoredWithAShapeIsReportedButNotReinitialized()
    {
        // num_batches_tracked written as a [2] tensor: a mismatch of a counter, which has no tensor to draw afresh.
        using var folder = new ScratchFolder();
        var path = folder.PathOf("odd-counter.safetensors");
        var source = Net(5, 1);
        var entries = source.NamedParameters().Concat(source.NamedBuffers())
            .Select(p => SafeTensorsEntry.FromFloat32(p.Name, p.Value.Shape.AsSpan(), p.Value.ToArray()))
            .Append(SafeTensorsEntry.FromInt64("features.0.norm.num_batches_tracked", [2], [3, 4]));
        SafeTensors.Save(path, entries);

        var target = Net(20, 2);
        var report = ParameterTransfer.FromCheckpoint(target, path, ShapeMismatchPolicy.Reinitialize, new Generator(3));
        Assert.Contains(report.Mismatched, m => m.Name == "features.0.norm.num_batches_tracked");
        Assert.Equal(["classifier.weight", "classifier.bias"], report.Reinitialized);
        Assert.All(target.NamedCounters(), c => Assert.Equal(0, c.Counter.Value));
    }
}
