using System.Globalization;
using MetaLearn.Serialization;
using MetaLearn.Tensors;

namespace MetaLearn.MetaLearning;

/// <summary>
/// A meta-training checkpoint: the meta-learner's state tensors, the best state so far (for early stopping), and the
/// trainer's counters and random-generator state, in one safetensors file written atomically.
/// </summary>
internal static class Checkpoint
{
    private const string BestPrefix = "best/";

    /// <summary>Writes the checkpoint atomically; a non-finite state is refused, so the previous checkpoint is never replaced by one.</summary>
    public static void Save(string path, IMetaLearner learner, TrainingState state)
    {
        var tensors = new List<(string Name, Tensor Value)>(MetaLearnerFile.FiniteState(learner, path));
        if (state.BestState is { } best)
        {
            tensors.AddRange(best.Select(p => (BestPrefix + p.Name, p.Value)));
        }

        var generator = state.Generator.GetState();
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "metalearn-checkpoint-1",
            ["iteration"] = Invariant(state.Iteration),
            ["validations_without_improvement"] = Invariant(state.ValidationsWithoutImprovement),
            ["skipped_tasks"] = Invariant(state.SkippedTasks),
            ["generator"] = string.Join(' ', new[] { generator.S0, generator.S1, generator.S2, generator.S3 }.Select(Invariant)),
        };
        if (generator.SpareNormal is { } spare)
        {
            metadata["generator_spare"] = BitConverter.DoubleToInt64Bits(spare).ToString(CultureInfo.InvariantCulture);
        }

        if (state.BestValidation is { } bestValidation)
        {
            metadata["best_validation"] = BitConverter.DoubleToInt64Bits(bestValidation).ToString(CultureInfo.InvariantCulture);
            metadata["best_iteration"] = Invariant(state.BestIteration ?? 0);
        }

        TensorFile.Save(path, tensors, metadata);
    }

    public static void Load(string path, IMetaLearner learner, TrainingState state)
    {
        var (tensors, metadata) = TensorFile.Load(path);
        if (!metadata.TryGetValue("format", out var format) || format != "metalearn-checkpoint-1")
        {
            throw new InvalidDataException($"Checkpoint '{path}': not a MetaLearn training checkpoint (format '{format}').");
        }

        var own = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var best = new List<(string, Tensor)>();
        foreach (var (name, value) in tensors)
        {
            if (name.StartsWith(BestPrefix, StringComparison.Ordinal))
            {
                best.Add((name[BestPrefix.Length..], value));
            }
            else
            {
                own[name] = value;
            }
        }

        try
        {
            var words = metadata["generator"].Split(' ').Select(w => ulong.Parse(w, CultureInfo.InvariantCulture)).ToArray();
            double? spare = metadata.TryGetValue("generator_spare", out var s)
                ? BitConverter.Int64BitsToDouble(long.Parse(s, CultureInfo.InvariantCulture)) : null;
            long iteration = long.Parse(metadata["iteration"], CultureInfo.InvariantCulture);
            int waiting = int.Parse(metadata["validations_without_improvement"], CultureInfo.InvariantCulture);
            long skipped = metadata.TryGetValue("skipped_tasks", out var k) ? long.Parse(k, CultureInfo.InvariantCulture) : 0;
            double? bestValidation = metadata.TryGetValue("best_validation", out var b)
                ? BitConverter.Int64BitsToDouble(long.Parse(b, CultureInfo.InvariantCulture)) : null;
            long? bestIteration = metadata.TryGetValue("best_iteration", out var bi) ? long.Parse(bi, CultureInfo.InvariantCulture) : null;
            if (words.Length != 4 || iteration < 0 || waiting < 0 || skipped < 0 || bestIteration < 0 || bestValidation is { } v && !double.IsFinite(v))
            {
                throw new FormatException("a generator word count, an iteration, a counter or the best validation loss is out of range");
            }

            if ((words[0] | words[1] | words[2] | words[3]) == 0)
            {
                throw new FormatException("the generator state is all zero");
            }

            // Everything is parsed; ImportState validates names, shapes and values before it changes anything, and the best
            // state is checked against the same layout now rather than when it is restored at the end of a run.
            if (best.Count > 0)
            {
                StateCheck.Validate(learner.ExportState(), best.ToDictionary(p => p.Item1, p => p.Item2, StringComparer.Ordinal), nameof(path));
            }

            learner.ImportState(own);
            state.Generator.SetState(new GeneratorState(words[0], words[1], words[2], words[3], spare));
            state.Iteration = iteration;
            state.ValidationsWithoutImprovement = waiting;
            state.SkippedTasks = skipped;
            state.BestValidation = bestValidation;
            state.BestIteration = bestIteration;
            state.BestState = best.Count > 0 ? best : null;
        }
        catch (Exception error) when (error is FormatException or KeyNotFoundException or OverflowException)
        {
            throw new InvalidDataException($"Checkpoint '{path}': the trainer metadata is corrupt ({error.Message}).", error);
        }
    }

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Invariant(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
