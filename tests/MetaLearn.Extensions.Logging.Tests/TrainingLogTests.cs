using MetaLearn.MetaLearning;
using MetaLearn.Testing;
using Microsoft.Extensions.Logging;

namespace MetaLearn.Extensions.Logging.Tests;

/// <summary>MetaTrainer's log through an ILogger: levels, event ids, structured values, and nothing below the logger's level.</summary>
public class TrainingLogTests
{
    [Fact]
    public void MetaTrainerLogsTheRunWithEventIdsAndStructuredValues()
    {
        var logger = new RecordingLogger(LogLevel.Debug);
        string folder = Path.Combine(Path.GetTempPath(), "metalearn-log-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            Train(logger, Path.Combine(folder, "run.safetensors"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        var events = logger.Entries.Select(e => e.Event.Name).ToArray();
        Assert.Equal("Started", events[0]);
        Assert.Equal("Finished", events[^1]);
        Assert.Equal(2, events.Count(e => e == "Validated"));
        Assert.Equal(4, events.Count(e => e == "Progress"));   // iterations 2, 3 (validated), 4 and 6
        Assert.Contains("CheckpointWritten", events);

        var started = logger.Entries[0];
        Assert.Equal(LogLevel.Information, started.Level);
        Assert.Equal(1, started.Event.Id);
        Assert.Contains(new KeyValuePair<string, object?>("Iterations", 6L), started.State);
        Assert.Equal("{OriginalFormat}", started.State[^1].Key);
        Assert.StartsWith("Meta-training Maml from iteration 0 to 6, meta-batch 2", started.Message, StringComparison.Ordinal);

        var progress = logger.Entries.First(e => e.Event.Name == "Progress");
        Assert.Contains(progress.State, kv => kv.Key == "MetaLoss" && kv.Value is double loss && double.IsFinite(loss));
        Assert.Contains(progress.State, kv => kv.Key == "TasksPerSecond");
        Assert.DoesNotContain("{", progress.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NothingBelowTheLoggersLevelIsWrittenAndNoLogMeansNoEntries()
    {
        var logger = new RecordingLogger(LogLevel.Information);
        string folder = Path.Combine(Path.GetTempPath(), "metalearn-log-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            Train(logger, Path.Combine(folder, "run.safetensors"));
            Assert.NotEmpty(logger.Entries);
            Assert.DoesNotContain(logger.Entries, e => e.Level < LogLevel.Information);

            var silent = new RecordingLogger(LogLevel.None);
            Train(silent, Path.Combine(folder, "run2.safetensors"));
            Assert.Empty(silent.Entries);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Train(ILogger logger, string checkpoint)
    {
        var family = TinyTasks.Clusters(ways: 3, shots: 1, queries: 2);
        var maml = new Maml(TinyTasks.Mlp(family.InputSize, family.Ways, hidden: 8), TaskLosses.CrossEntropy, new MamlOptions { FirstOrder = true });
        MetaTrainer.Train(maml, family.Train, new MetaTrainingOptions
        {
            Iterations = 6,
            MetaBatchSize = 2,
            ValidationInterval = 3,
            ValidationTasks = 2,
            ProgressInterval = 2,
            CheckpointInterval = 3,
            CheckpointPath = checkpoint,
            Log = logger.AsTrainingLog(),
        }, validationTasks: family.Test);
    }
}
