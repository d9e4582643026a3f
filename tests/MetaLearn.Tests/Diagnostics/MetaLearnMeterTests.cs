using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using MetaLearn.Diagnostics;
using MetaLearn.MetaLearning;

namespace MetaLearn.Tests.Diagnostics;

/// <summary>What MetaTrainer publishes on the "MetaLearn" meter, read back with a MeterListener as dotnet-counters would.</summary>
[Collection(nameof(ScriptedMetaLearner))]   // the CSV test trains the same learner type, whose tag the listener filters on
public class MetaLearnMeterTests
{
    [Fact]
    public void MetaTrainerPublishesLossValidationThroughputSkippedTasksAndCheckpointWrites()
    {
        var longs = new ConcurrentDictionary<string, long>();
        var doubles = new ConcurrentDictionary<string, List<double>>();
        string folder = Path.Combine(Path.GetTempPath(), "metalearn-meter-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        using (var listener = new MeterListener())
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == MetaLearnMetrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                if (Ours(tags))
                {
                    longs.AddOrUpdate(instrument.Name, value, (_, total) => total + value);
                }
            });
            listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
            {
                if (Ours(tags))
                {
                    lock (doubles)
                    {
                        doubles.GetOrAdd(instrument.Name, _ => []).Add(value);
                    }
                }
            });
            listener.Start();

            try
            {
                MetaTrainer.Train(new ScriptedMetaLearner(), ScriptedMetaLearner.Tasks(), new MetaTrainingOptions
                {
                    Iterations = 6,
                    MetaBatchSize = 3,
                    ValidationInterval = 3,
                    ValidationTasks = 4,
                    ProgressInterval = 2,
                    CheckpointInterval = 2,
                    CheckpointPath = Path.Combine(folder, "run.safetensors"),
                }, validationTasks: ScriptedMetaLearner.Tasks());
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        Assert.Equal(6, longs.GetValueOrDefault(MetaLearnMetrics.Iterations));
        Assert.Equal(18, longs.GetValueOrDefault(MetaLearnMetrics.Tasks));
        Assert.Equal(3, longs.GetValueOrDefault(MetaLearnMetrics.SkippedTasks));
        // Checkpoints at iterations 2, 4 and 6 and the final save, and the best state at the first validation (the second
        // validation's loss is the same, not better).
        Assert.Equal(5, longs.GetValueOrDefault(MetaLearnMetrics.CheckpointWrites));
        Assert.Equal([1.0, 1 / 2.0, 1 / 3.0, 1 / 4.0, 1 / 5.0, 1 / 6.0], doubles[MetaLearnMetrics.MetaLoss]);
        Assert.Equal(2, doubles[MetaLearnMetrics.ValidationAccuracy].Count);
        Assert.All(doubles[MetaLearnMetrics.ValidationAccuracy], accuracy => Assert.Equal(0.2, accuracy, 12));
        Assert.All(doubles[MetaLearnMetrics.ValidationLoss], loss => Assert.Equal(Math.Log(5), loss, 5));
        // Progress is reported at iterations 2, 4 and 6 and at the validation of iteration 3.
        Assert.Equal(4, doubles[MetaLearnMetrics.TasksPerSecond].Count);
        Assert.All(doubles[MetaLearnMetrics.TasksPerSecond], rate => Assert.True(rate > 0, $"tasks per second {rate}"));
    }

    private static bool Ours(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == MetaLearnMetrics.LearnerTag && tag.Value as string == nameof(ScriptedMetaLearner))
            {
                return true;
            }
        }

        return false;
    }
}
