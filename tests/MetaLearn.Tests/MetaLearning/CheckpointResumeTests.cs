using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Optim;
using MetaLearn.Tensors;

namespace MetaLearn.Tests.MetaLearning;

public sealed class CheckpointResumeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("metalearn-resume-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Sequential Mlp() => new(new Linear(1, 12, new Generator(1)), new Activation(ActivationKind.Relu), new Linear(12, 1, new Generator(2)));

    private static float[][] Weights(Module model) => [.. model.Parameters().Select(p => p.ToArray())];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AResumedRunEqualsAnUninterruptedOneBitForBit(bool metaSgd)
    {
        var tasks = new SineTaskDistribution(5, 5);
        MetaTrainingOptions Options(long iterations, string? path) => new() { Iterations = iterations, MetaBatchSize = 3, Seed = 9, CheckpointPath = path, CheckpointInterval = 5, Resume = path is not null, ValidationInterval = 5, ValidationTasks = 4 };
        var mamlOptions = new MamlOptions { LearnInnerLearningRates = metaSgd, Outer = new OuterLoopOptions { LearningRate = 0.01 } };

        var straight = Mlp();
        MetaTrainer.Train(new Maml(straight, TaskLosses.MeanSquaredError, mamlOptions), tasks, Options(20, null), tasks);

        string path = Path.Combine(_folder, "run.safetensors");
        var first = Mlp();
        MetaTrainer.Train(new Maml(first, TaskLosses.MeanSquaredError, mamlOptions), tasks, Options(10, path), tasks);
        var resumed = Mlp();
        var result = MetaTrainer.Train(new Maml(resumed, TaskLosses.MeanSquaredError, mamlOptions), tasks, Options(20, path), tasks);

        Assert.Equal(20, result.Iterations);
        Assert.Equal(Weights(straight), Weights(resumed));
    }

    [Fact]
    public void ReptileResumesExactlyToo()
    {
        var tasks = new SineTaskDistribution(5, 5);
        var options = new ReptileOptions { InnerSteps = 2, OuterStepSize = 0.5, Outer = new OuterLoopOptions { Schedule = new LinearDecay(0.5, 0.1, 12) } };
        MetaTrainingOptions Run(long iterations, string? path) => new() { Iterations = iterations, MetaBatchSize = 2, Seed = 4, CheckpointPath = path, CheckpointInterval = 3, Resume = path is not null };

        var straight = Mlp();
        MetaTrainer.Train(new Reptile(straight, TaskLosses.MeanSquaredError, options), tasks, Run(12, null));
        string path = Path.Combine(_folder, "reptile.safetensors");
        var resumed = Mlp();
        MetaTrainer.Train(new Reptile(Mlp(), TaskLosses.MeanSquaredError, options), tasks, Run(7, path));
        MetaTrainer.Train(new Reptile(resumed, TaskLosses.MeanSquaredError, options), tasks, Run(12, path));
        Assert.Equal(Weights(straight), Weights(resumed));
    }

    [Fact]
    public void ACorruptCheckpointIsReportedAndTheModelIsUntouched()
    {
        string path = Path.Combine(_folder, "run.safetensors");
        var tasks = new SineTaskDistribution(5, 5);
        MetaTrainer.Train(new Maml(Mlp(), TaskLosses.MeanSquaredError), tasks, new MetaTrainingOptions { Iterations = 4, MetaBatchSize = 2, CheckpointPath = path, CheckpointInterval = 2 });
        var bytes = File.ReadAllBytes(path);
        bytes[12] ^= 0x5A;
        File.WriteAllBytes(path, bytes);

        var model = Mlp();
        var before = Weights(model);
        var error = Assert.ThrowsAny<Exception>(() => MetaTrainer.Train(new Maml(model, TaskLosses.MeanSquaredError), tasks, new MetaTrainingOptions { Iterations = 8, MetaBatchSize = 2, CheckpointPath = path, Resume = true }));
        Assert.True(error is MetaLearn.Tensors.Serialization.SafeTensorsFormatException or InvalidDataException, error.GetType().Name + ": " + error.Message);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Weights(model));
    }

    [Fact]
    public void ACheckpointOfAnotherModelIsRejectedBeforeAnythingChanges()
    {
        string path = Path.Combine(_folder, "run.safetensors");
        var tasks = new SineTaskDistribution(5, 5);
        MetaTrainer.Train(new Maml(Mlp(), TaskLosses.MeanSquaredError), tasks, new MetaTrainingOptions { Iterations = 2, MetaBatchSize = 2, CheckpointPath = path });
        var other = new Sequential(new Linear(1, 7, new Generator(1)), new Activation(ActivationKind.Relu), new Linear(7, 1, new Generator(2)));
        var before = Weights(other);
        var error = Assert.Throws<ArgumentException>(() => MetaTrainer.Train(new Maml(other, TaskLosses.MeanSquaredError), tasks, new MetaTrainingOptions { Iterations = 4, MetaBatchSize = 2, CheckpointPath = path, Resume = true }));
        Assert.Contains("model.0.weight", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Weights(other));
    }
}
