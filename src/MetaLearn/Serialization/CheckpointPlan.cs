using System.Collections.Immutable;
using MetaLearn.NN;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Serialization;

namespace MetaLearn.Serialization;

/// <summary>
/// The match between a checkpoint's header and a module, made before any tensor data is read: which file tensor feeds
/// which parameter, buffer or counter, and what is missing, unknown or mismatched.
/// </summary>
internal sealed class CheckpointPlan
{
    /// <summary>Most problems listed in a strict load's exception message.</summary>
    private const int MaxListedProblems = 20;

    private readonly List<(SafeTensorsTensorInfo Source, Tensor Target)> _tensors = [];
    private readonly List<(SafeTensorsTensorInfo Source, ModuleCounter Target)> _counters = [];
    private readonly List<string> _loaded = [];
    private readonly List<string> _converted = [];
    private readonly List<string> _missing = [];
    private readonly List<string> _unexpected = [];
    private readonly List<TensorMismatch> _mismatched = [];
    private readonly List<string> _skipped = [];
    private readonly List<string> _countersNotInFile = [];

    private CheckpointPlan()
    {
    }

    /// <summary>Whether a strict load must refuse the file.</summary>
    public bool HasProblems => _missing.Count > 0 || _unexpected.Count > 0 || _mismatched.Count > 0;

    /// <summary>Matches the header of <paramref name="reader"/> against <paramref name="module"/>; reads no tensor data.</summary>
    public static CheckpointPlan Create(Module module, SafeTensorsReader reader, ModuleLoadOptions options)
    {
        var plan = new CheckpointPlan();
        var match = TensorMatcher.Match(reader, module, options.ConvertDTypes);
        foreach (var (source, target) in match.Matched)
        {
            plan._tensors.Add((source.Value, target));
            plan._loaded.Add(source.Name);
            if (source.DType != SafeTensorsDTypes.FromEngine(target.DType))
            {
                plan._converted.Add(source.Name);
            }
        }

        plan._missing.AddRange(match.Missing);
        plan._mismatched.AddRange(match.Mismatched);

        // Counters are matched here, not by the matcher: any one-element integer tensor of the file feeds one.
        var usedByCounters = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, counter) in module.NamedCounters())
        {
            if (reader.Find(name) is not { } source)
            {
                plan._countersNotInFile.Add(name);
                continue;
            }

            usedByCounters.Add(name);
            if (!source.DType.IsInteger() || source.ElementCount != 1)
            {
                plan._mismatched.Add(new TensorMismatch(name, source.DType, source.Shape, SafeTensorsDType.Int64, ImmutableArray<int>.Empty));
            }
            else if (options.IntegerBuffers == IntegerBufferPolicy.Skip)
            {
                plan._skipped.Add(name);
            }
            else
            {
                plan._counters.Add((source, counter));
                plan._loaded.Add(name);
            }
        }

        foreach (var source in match.Unused.Where(s => !usedByCounters.Contains(s.Name)))
        {
            (source.DType.IsInteger() ? plan._skipped : plan._unexpected).Add(source.Name);
        }

        return plan;
    }

    /// <summary>The exception a strict load throws, naming every problem.</summary>
    public InvalidDataException StrictError(string path)
    {
        var problems = _missing.Select(name => $"'{name}' of the module is missing from the file")
            .Concat(_unexpected.Select(name => $"'{name}' in the file is not part of the module"))
            .Concat(_mismatched.Select(Describe))
            .ToList();
        var listed = string.Join(Environment.NewLine, problems.Take(MaxListedProblems).Select(p => "  " + p));
        var more = problems.Count > MaxListedProblems ? $"{Environment.NewLine}  ... and {problems.Count - MaxListedProblems} more" : "";
        return new InvalidDataException(
            $"Checkpoint '{path}' does not match the module ({problems.Count} problems; load with strict: false to skip them and get a "
                + $"{nameof(LoadReport)}):{Environment.NewLine}{listed}{more}");
    }

    /// <summary>
    /// Reads the planned tensors (only those), checks them, and copies them into the module. Everything is read and
    /// checked before the first value is copied, so a failure leaves the module unchanged.
    /// </summary>
    public void Apply(SafeTensorsReader reader, string path, ModuleLoadOptions options)
    {
        var remedy = $"set {nameof(ModuleLoadOptions.AllowNonFinite)} to load them anyway";
        var values = new List<Tensor>(_tensors.Count);
        foreach (var (source, target) in _tensors)
        {
            var shape = source.Shape.AsSpan();
            if (target.DType == DType.Float32)
            {
                var data = reader.ReadFloat32(source.Name);
                Check(options, () => FiniteValues.Require<float>(data, path, source.Name, remedy));
                values.Add(Tensor.FromSpan((ReadOnlySpan<float>)data, shape));
            }
            else
            {
                var data = reader.ReadFloat64(source.Name);
                Check(options, () => FiniteValues.Require<double>(data, path, source.Name, remedy));
                values.Add(Tensor.FromSpan((ReadOnlySpan<double>)data, shape));
            }
        }

        var counts = new List<long>(_counters.Count);
        foreach (var (source, _) in _counters)
        {
            var count = reader.ReadInt64(source.Name)[0];
            if (count < 0)
            {
                throw new InvalidDataException($"Checkpoint '{path}': counter '{source.Name}' is {count}; a count cannot be negative.");
            }

            counts.Add(count);
        }

        for (var i = 0; i < values.Count; i++)
        {
            Init.Assign(_tensors[i].Target, values[i]);
        }

        for (var i = 0; i < counts.Count; i++)
        {
            _counters[i].Target.Value = counts[i];
        }
    }

    /// <summary>A mismatch in the words of a checkpoint, with the remedy when only the dtype differs.</summary>
    private static string Describe(TensorMismatch mismatch)
    {
        var text = mismatch.Describe(LoadReport.FileName, LoadReport.ModuleName);
        return mismatch.ShapeDiffers ? text : $"{text} (set {nameof(ModuleLoadOptions.ConvertDTypes)} to convert it)";
    }

    /// <summary>The report of this plan.</summary>
    public LoadReport Report(string path) => new(path, _loaded, _converted, _missing, _unexpected, _mismatched, _skipped, _countersNotInFile);

    private static void Check(ModuleLoadOptions options, Action check)
    {
        if (!options.AllowNonFinite)
        {
            check();
        }
    }
}
