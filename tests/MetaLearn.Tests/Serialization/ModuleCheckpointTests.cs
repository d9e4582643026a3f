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

    [Fact]
    public void RoundTripGivesBitIdenticalOutputs()
    {
        var source = Mlp(1);
        var target = Mlp(2);
        var x = Tensor.RandomNormal(new Generator(3), [5, 3]);
        string path = Path.Combine(_folder, "mlp.safetensors");
        ModuleCheckpoint.Save(source, path);
        var loaded = ModuleCheckpoint.Load(target, path);
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], loaded);
        Assert.Equal(source.Forward(x).ToArray(), target.Forward(x).ToArray());
    }

    [Fact]
    public void StrictLoadRejectsMismatchesAndLeavesTheModuleUnchanged()
    {
        string path = Path.Combine(_folder, "mlp.safetensors");
        ModuleCheckpoint.Save(Mlp(1, hidden: 8), path);
        var wider = Mlp(2, hidden: 9);
        var before = wider.Parameters().Select(p => p.ToArray()).ToArray();
        var error = Assert.Throws<InvalidDataException>(() => ModuleCheckpoint.Load(wider, path));
        Assert.Contains("0.weight", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, wider.Parameters().Select(p => p.ToArray()).ToArray());

        var deeper = new Sequential(new Linear(3, 8, new Generator(5)), new Activation(ActivationKind.Relu), new Linear(8, 2, new Generator(6)), new Linear(2, 2, new Generator(7)));
        var missing = Assert.Throws<InvalidDataException>(() => ModuleCheckpoint.Load(deeper, path));
        Assert.Contains("'3.weight'", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NonStrictLoadKeepsNewTensorsAndIgnoresUnknownOnes()
    {
        string path = Path.Combine(_folder, "mlp.safetensors");
        var source = Mlp(1);
        ModuleCheckpoint.Save(source, path);
        var deeper = new Sequential(new Linear(3, 8, new Generator(5)), new Activation(ActivationKind.Relu), new Linear(8, 2, new Generator(6)), new Linear(2, 2, new Generator(7)));
        var head = deeper.Parameters()[4].ToArray();
        var loaded = ModuleCheckpoint.Load(deeper, path, strict: false);
        Assert.Equal(4, loaded.Count);
        Assert.Equal(source.Parameters()[0].ToArray(), deeper.Parameters()[0].ToArray());
        Assert.Equal(head, deeper.Parameters()[4].ToArray());
    }

    [Fact]
    public void CorruptFilesGiveAFormatErrorAndChangeNothing()
    {
        string path = Path.Combine(_folder, "mlp.safetensors");
        ModuleCheckpoint.Save(Mlp(1), path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 5)]);
        var target = Mlp(2);
        var before = target.Parameters().Select(p => p.ToArray()).ToArray();
        var error = Assert.Throws<SafeTensorsFormatException>(() => ModuleCheckpoint.Load(target, path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, target.Parameters().Select(p => p.ToArray()).ToArray());
    }
}
