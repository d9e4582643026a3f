using MetaLearn.Optim;
using MetaLearn.Serialization;
using MetaLearn.Tensors;

namespace MetaLearn.Tests.Serialization;

public sealed class OptimizerCheckpointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("metalearn-optimizer-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Tensor Parameter()
    {
        var p = Tensor.FromArray(new float[] { 0.5f, -1.5f, 2.0f });
        p.RequiresGrad = true;
        return p;
    }

    private static void Steps(Optimizer optimizer, Tensor parameter, int count)
    {
        for (int i = 0; i < count; i++)
        {
            optimizer.ZeroGrad();
            (parameter.Square() * parameter).Sum().Backward();
            optimizer.Step();
        }
    }

    [Fact]
    public void AdamResumesBitForBitFromAFile()
    {
        var straight = Parameter();
        Steps(new Adam([straight], 0.1), straight, 5);

        var first = Parameter();
        var adam = new Adam([first], 0.1);
        Steps(adam, first, 3);
        string path = Path.Combine(_folder, "adam.safetensors");
        OptimizerCheckpoint.Save(adam, path);

        var resumed = Tensor.FromArray(first.ToArray());
        resumed.RequiresGrad = true;
        var restored = new Adam([resumed], 0.1);
        OptimizerCheckpoint.Load(restored, path);
        Steps(restored, resumed, 2);
        Assert.Equal(straight.ToArray(), resumed.ToArray());
    }

    [Fact]
    public void RejectsTheStateOfAnotherOptimizerOrOtherParameters()
    {
        string path = Path.Combine(_folder, "sgd.safetensors");
        var p = Parameter();
        var sgd = new Sgd([p], 0.1, momentum: 0.9);
        Steps(sgd, p, 2);
        OptimizerCheckpoint.Save(sgd, path);
        Assert.Throws<InvalidDataException>(() => OptimizerCheckpoint.Load(new Adam([Parameter()], 0.1), path));
        var wider = Tensor.Zeros(4);
        wider.RequiresGrad = true;
        Assert.Throws<InvalidDataException>(() => OptimizerCheckpoint.Load(new Sgd([wider], 0.1, momentum: 0.9), path));
    }
}
