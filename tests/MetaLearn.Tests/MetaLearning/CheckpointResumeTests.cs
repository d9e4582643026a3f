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

    private static Sequential Mlp(ulong seed = 1) => new(new Linear(1, 12, new Generator(seed)), new Activation(ActivationKind.Relu), new Linear(12, 1, new Generator(seed + 1)));

    private static float[][] Weights(Module model) => [.. model.Parameters().Select(p => p.ToArray())];

    /// <summary>
    /// The resumed learner starts from other weights (seeds 50, 51), so a resume that restored no state would end
    /// elsewhere; the tasks it draws are fingerprinted, so one that did not restore the task generator (and drew the
    /// run's first tasks again) fails too: it must end bit for bit where the uninterrupted run ends, having drawn exactly
    /// the tasks the interrupted run had not.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AResumedRunEqualsAnUninterruptedOneBitForBit(bool metaSgd)
    {
        var sines = new SineTaskDistribution(5, 5);
        MetaTrainingOptions Options(long iterations, string? path, bool resume = false) => new() { Iterations = iterations, MetaBatchSize = 3, Seed = 9, CheckpointPath = path, CheckpointInterval = 5, Resume = resume, ValidationInterval = 5, ValidationTasks = 4 };
        var mamlOptions = new MamlOptions { LearnInnerLearningRates = metaSgd, Outer = new OuterLoopOptions { LearningRate = 0.01 } };

        var straight = Mlp();
        var straightTasks = new CountingTaskSource(sines);
        MetaTrainer.Train(new Maml(straight, TaskLosses.MeanSquaredError, mamlOptions), straightTasks, Options(20, null), sines);

        string path = Path.Combine(_folder, "run.safetensors");
        var first = Mlp();
        MetaTrainer.Train(new Maml(first, TaskLosses.MeanSquaredError, mamlOptions), sines, Options(10, path), sines);
        var resumed = Mlp(seed: 50);
        Assert.NotEqual(Weights(straight), Weights(resumed));
        var resumedTasks = new CountingTaskSource(sines);
        var result = MetaTrainer.Train(new Maml(resumed, TaskLosses.MeanSquaredError, mamlOptions), resumedTasks, Options(20, path, resume: true), sines);

        Assert.Equal(20, result.Iterations);
        Assert.Equal(Weights(straight), Weights(resumed));
        Assert.Equal(10 * 3, resumedTasks.Drawn);
        Assert.Equal(straightTasks.FirstInputs.Skip(10 * 3), resumedTasks.FirstInputs);
    }

    [Fact]
    public void ReptileResumesExactlyToo()
    {
        var sines = new SineTaskDistribution(5, 5);
        var options = new ReptileOptions { InnerSteps = 2, OuterStepSize = 0.5, Outer = new OuterLoopOptions { Schedule = new LinearDecay(0.5, 0.1, 12) } };
        MetaTrainingOptions Run(long iterations, string? path, bool resume = false) => new() { Iterations = iterations, MetaBatchSize = 2, Seed = 4, CheckpointPath = path, CheckpointInterval = 3, Resume = resume };

        var straight = Mlp();
        var straightTasks = new CountingTaskSource(sines);
        MetaTrainer.Train(new Reptile(straight, TaskLosses.MeanSquaredError, options), straightTasks, Run(12, null));
        string path = Path.Combine(_folder, "reptile.safetensors");
        MetaTrainer.Train(new Reptile(Mlp(), TaskLosses.MeanSquaredError, options), sines, Run(7, path));
        var resumed = Mlp(seed: 50);
        var resumedTasks = new CountingTaskSource(sines);
        MetaTrainer.Train(new Reptile(resumed, TaskLosses.MeanSquaredError, options), resumedTasks, Run(12, path, resume: true));
        Assert.Equal(Weights(straight), Weights(resumed));
        Assert.Equal(5 * 2, resumedTasks.Drawn);
        Assert.Equal(straightTasks.FirstInputs.Skip(7 * 2), resumedTasks.FirstInputs);
    }

    [Fact]
    public void ResumingWithoutACheckpointIsAnErrorNotAFreshStart()
    {
        var sines = new SineTaskDistribution(5, 5);
        string path = Path.Combine(_folder, "never-written.safetensors");
        var model = Mlp();
        var before = Weights(model);
        var tasks = new CountingTaskSource(sines);
        var missing = Assert.Throws<FileNotFoundException>(() => MetaTrainer.Train(new Maml(model, TaskLosses.MeanSquaredError), tasks, new MetaTrainingOptions { Iterations = 4, MetaBatchSize = 2, CheckpointPath = path, Resume = true }));
        Assert.Contains(path, missing.Message, StringComparison.Ordinal);
        Assert.Contains("Resume", missing.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));

        var noPath = Assert.Throws<ArgumentException>(() => MetaTrainer.Train(new Maml(model, TaskLosses.MeanSquaredError), tasks, new MetaTrainingOptions { Iterations = 4, MetaBatchSize = 2, Resume = true }));
        Assert.Equal("options", noPath.ParamName);
        Assert.Contains("CheckpointPath", noPath.Message, StringComparison.Ordinal);
        Assert.Equal(0, tasks.Drawn);
        Assert.Equal(before, Weights(model));
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
