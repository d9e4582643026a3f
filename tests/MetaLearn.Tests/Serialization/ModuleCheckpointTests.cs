using MetaLearn.NN;
using MetaLearn.Serialization;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Serialization;

namespace MetaLearn.Tests.Serialization;

public sealed class ModuleCheckpointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("metalearn-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Sequential Mlp(ulong seed, int hidden = 8, int outputs = 2) => new(
        new Linear(3, hidden, new Generator(seed)), new Activation(ActivationKind.Relu), new Linear(hidden, outputs, new Generator(seed + 1)));

    private static ConvNet Net(int ways, ulong seed) =>
        Backbones.OmniglotConvNet(ways, new Generator(seed), hiddenChannels: 4, statistics: BatchNormStatistics.Running);

    private static float[][] Snapshot(Module module) => [.. module.Parameters().Concat(module.NamedBuffers().Select(b => b.Value)).Select(p => p.ToArray())];

    private string PathOf(string name) => Path.Combine(_folder, name);

    [Fact]
    public void RoundTripGivesBitIdenticalOutputs()
    {
        var source = Mlp(1);
        var target = Mlp(2);
        var x = Tensor.RandomNormal(new Generator(3), [5, 3]);
        string path = PathOf("mlp.safetensors");
        ModuleCheckpoint.Save(source, path);
        var report = ModuleCheckpoint.Load(target, path);
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], report.Copied);
        Assert.True(report.IsComplete);
        Assert.Empty(report.Converted);
        Assert.Equal(source.Forward(x).ToArray(), target.Forward(x).ToArray());
    }

    [Fact]
    public void StrictLoadRejectsMismatchesAndLeavesTheModuleUnchanged()
    {
        string path = PathOf("mlp.safetensors");
        ModuleCheckpoint.Save(Mlp(1, hidden: 8), path);
        var wider = Mlp(2, hidden: 9);
        var before = Snapshot(wider);
        var error = Assert.Throws<InvalidDataException>(() => ModuleCheckpoint.Load(wider, path));
        Assert.Contains("0.weight", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(wider));

        var deeper = new Sequential(new Linear(3, 8, new Generator(5)), new Activation(ActivationKind.Relu), new Linear(8, 2, new Generator(6)), new Linear(2, 2, new Generator(7)));
        var missing = Assert.Throws<InvalidDataException>(() => ModuleCheckpoint.Load(deeper, path));
        Assert.Contains("'3.weight'", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NonStrictLoadKeepsNewTensorsAndIgnoresUnknownOnes()
    {
        string path = PathOf("mlp.safetensors");
        var source = Mlp(1);
        ModuleCheckpoint.Save(source, path);
        var deeper = new Sequential(new Linear(3, 8, new Generator(5)), new Activation(ActivationKind.Relu), new Linear(8, 2, new Generator(6)), new Linear(2, 2, new Generator(7)));
        var head = deeper.Parameters()[4].ToArray();
        var report = ModuleCheckpoint.Load(deeper, path, strict: false);
        Assert.Equal(4, report.Copied.Count);
        Assert.Equal(["3.weight", "3.bias"], report.Missing);
        Assert.False(report.IsComplete);
        Assert.Equal(source.Parameters()[0].ToArray(), deeper.Parameters()[0].ToArray());
        Assert.Equal(head, deeper.Parameters()[4].ToArray());
    }

    [Fact]
    public void NonStrictLoadSkipsAndReportsAHeadOfAnotherShape()
    {
        // Issue 10: a 5-way model's checkpoint into a 20-way model threw even with strict: false.
        string path = PathOf("five-way.safetensors");
        var fiveWay = Net(5, 1);
        ModuleCheckpoint.Save(fiveWay, path);
        var twentyWay = Net(20, 2);
        var head = twentyWay.Classifier.Parameters().Select(p => p.ToArray()).ToArray();

        var report = ModuleCheckpoint.Load(twentyWay, path, strict: false);

        Assert.Equal(["classifier.weight", "classifier.bias"], report.Mismatched.Select(m => m.Name));
        var weight = report.Mismatched[0];
        Assert.Equal<int>([5, 4], weight.SourceShape);
        Assert.Equal<int>([20, 4], weight.TargetShape);
        Assert.True(weight.ShapeDiffers);
        Assert.Equal("'classifier.weight' is F32 [5, 4] in the source; the target expects F32 [20, 4]", weight.ToString());
        Assert.Contains("'classifier.weight' is F32 [5, 4] in the file; the module expects F32 [20, 4]", report.ToString(), StringComparison.Ordinal);
        Assert.Empty(report.Missing);
        Assert.Empty(report.Unused);
        Assert.Equal(fiveWay.NamedParameters().Count - 2 + fiveWay.NamedBuffers().Count + fiveWay.NamedCounters().Count, report.Copied.Count);
        Assert.Equal(fiveWay.Features.Parameters().Select(p => p.ToArray()), twentyWay.Features.Parameters().Select(p => p.ToArray()));
        Assert.Equal(head, twentyWay.Classifier.Parameters().Select(p => p.ToArray()));
        Assert.Contains("2 mismatched", report.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void StrictLoadNamesEveryProblem()
    {
        string path = PathOf("mlp.safetensors");
        TensorFile.Save(path, [
            ("0.weight", Tensor.Zeros([8, 3], DType.Float32)),
            ("2.weight", Tensor.Zeros([3, 8], DType.Float32)),
            ("2.bias", Tensor.Zeros([2], DType.Float64)),
            ("extra", Tensor.Zeros([1], DType.Float32)),
        ], null);
        var target = Mlp(1);
        var before = Snapshot(target);

        var message = Assert.Throws<InvalidDataException>(() => ModuleCheckpoint.Load(target, path)).Message;

        Assert.Contains(path, message, StringComparison.Ordinal);
        Assert.Contains("4 problems", message, StringComparison.Ordinal);
        Assert.Contains("'0.bias' of the module is missing from the file", message, StringComparison.Ordinal);
        Assert.Contains("'extra' in the file is not part of the module", message, StringComparison.Ordinal);
        Assert.Contains("'2.weight' is F32 [3, 8] in the file; the module expects F32 [2, 8]", message, StringComparison.Ordinal);
        Assert.Contains("'2.bias' is F64 [2] in the file; the module expects F32 [2] (set ConvertDTypes to convert it)", message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(target));
    }

    [Fact]
    public void ConvertDTypesLoadsAFloat64FileIntoAFloat32Module()
    {
        string path = PathOf("f64.safetensors");
        var source = new Sequential(new Linear(3, 4, new Generator(1), dtype: DType.Float64));
        ModuleCheckpoint.Save(source, path);
        var target = new Sequential(new Linear(3, 4, new Generator(2)));

        var error = Assert.Throws<InvalidDataException>(() => ModuleCheckpoint.Load(target, path));
        Assert.Contains(nameof(ModuleLoadOptions.ConvertDTypes), error.Message, StringComparison.Ordinal);

        var report = ModuleCheckpoint.Load(target, path, new ModuleLoadOptions { ConvertDTypes = true });
        Assert.Equal(["0.weight", "0.bias"], report.Converted);
        Assert.Equal(source.Parameters()[0].ToDoubleArray().Select(v => (float)v), target.Parameters()[0].ToArray());
    }

    [Fact]
    public void NonFiniteValuesAreRejectedNamingTheTensorUnlessAllowed()
    {
        string path = PathOf("nan.safetensors");
        var source = Mlp(1);
        var weights = source.Parameters()[2].ToArray();
        weights[5] = float.NaN;
        Init.Assign(source.Parameters()[2], Tensor.FromArray(weights, [.. source.Parameters()[2].Shape]));
        ModuleCheckpoint.Save(source, path);
        var target = Mlp(2);
        var before = Snapshot(target);

        var error = Assert.Throws<InvalidDataException>(() => ModuleCheckpoint.Load(target, path));
        Assert.Contains("'2.weight' holds NaN at element 5", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(target));

        ModuleCheckpoint.Load(target, path, new ModuleLoadOptions { AllowNonFinite = true });
        Assert.True(float.IsNaN(target.Parameters()[2].ToArray()[5]));
    }

    [Fact]
    public void CountersAreSavedAsInt64AndRestored()
    {
        string path = PathOf("net.safetensors");
        var source = Net(5, 1);
        for (int i = 0; i < 3; i++)
        {
            source.Forward(Tensor.RandomNormal(new Generator((ulong)i), [2, 1, 28, 28]));
        }

        ModuleCheckpoint.Save(source, path);
        using (var reader = SafeTensorsReader.Open(path))
        {
            var counter = reader.Find("features.2.norm.num_batches_tracked")!;
            Assert.Equal(SafeTensorsDType.Int64, counter.DType);
            Assert.Empty(counter.Shape);
            Assert.Equal(SafeTensorsDType.Float32, reader.Find("features.2.norm.running_var")!.DType);
        }

        var target = Net(5, 2);
        var report = ModuleCheckpoint.Load(target, path);
        Assert.True(report.IsComplete);
        Assert.Contains("features.3.norm.num_batches_tracked", report.Copied);
        Assert.All(target.NamedCounters(), c => Assert.Equal(3, c.Counter.Value));
        Assert.Equal(source.NamedBuffers().Select(b => b.Value.ToArray()), target.NamedBuffers().Select(b => b.Value.ToArray()));

        var skipping = Net(5, 3);
        var skipped = ModuleCheckpoint.Load(skipping, path, new ModuleLoadOptions { IntegerBuffers = IntegerBufferPolicy.Skip });
        Assert.Equal(4, skipped.SkippedIntegerTensors.Count);
        Assert.All(skipping.NamedCounters(), c => Assert.Equal(0, c.Counter.Value));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ModuleLoadOptions { IntegerBuffers = (IntegerBufferPolicy)7 });
    }

    [Fact]
    public void FilesWithoutCountersStillLoadStrictlyAndIntegerTensorsNeverFailALoad()
    {
        // A checkpoint written before counters were saved, plus an integer tensor the module has no counter for.
        string path = PathOf("old.safetensors");
        var source = Net(5, 1);
        var entries = source.NamedParameters().Concat(source.NamedBuffers())
            .Select(p => SafeTensorsEntry.FromFloat32(p.Name, p.Value.Shape.AsSpan(), p.Value.ToArray()))
            .Append(SafeTensorsEntry.FromInt64("step", [], [12]));
        SafeTensors.Save(path, entries);

        var report = ModuleCheckpoint.Load(Net(5, 2), path);
        Assert.True(report.IsComplete);
        Assert.Equal(4, report.CountersNotInFile.Count);
        Assert.Equal(["step"], report.SkippedIntegerTensors);
    }
}
