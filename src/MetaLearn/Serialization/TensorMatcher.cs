using MetaLearn.NN;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Serialization;

namespace MetaLearn.Serialization;

/// <summary>
/// Pairs a source's tensors (a checkpoint header or a live module) with a target module's by dotted name: the one
/// matching rule behind <see cref="ModuleCheckpoint"/> and parameter transfer. Reads no data and changes nothing.
/// </summary>
internal static class TensorMatcher
{
    /// <summary>Matches a checkpoint's header against <paramref name="target"/>'s parameters and buffers.</summary>
    public static TensorMatch<SafeTensorsTensorInfo> Match(SafeTensorsReader source, Module target, bool convertDTypes) =>
        Match(source.Tensors.Select(t => new TensorSource<SafeTensorsTensorInfo>(t.Name, t.DType, t.Shape, t)), TensorsOf(target), convertDTypes);

    /// <summary>Matches a live module's parameters and buffers against <paramref name="target"/>'s.</summary>
    public static TensorMatch<Tensor> Match(Module source, Module target, bool convertDTypes) =>
        Match(TensorsOf(source).Select(p => new TensorSource<Tensor>(p.Name, SafeTensorsDTypes.FromEngine(p.Value.DType), p.Value.Shape, p.Value)),
            TensorsOf(target), convertDTypes);

    /// <summary>Matches every target tensor against the source tensor of its name.</summary>
    /// <param name="sources">The source's tensors; for a repeated name the last one counts.</param>
    /// <param name="targets">The target's named tensors (parameters, then buffers).</param>
    /// <param name="convertDTypes">Whether a tensor of the same shape but another dtype is paired (to be converted) rather than mismatched.</param>
    private static TensorMatch<TValue> Match<TValue>(
        IEnumerable<TensorSource<TValue>> sources, IEnumerable<(string Name, Tensor Value)> targets, bool convertDTypes)
    {
        var ordered = sources.ToList();
        var byName = new Dictionary<string, TensorSource<TValue>>(StringComparer.Ordinal);
        foreach (var source in ordered)
        {
            byName[source.Name] = source;
        }

        var match = new TensorMatch<TValue>();
        var targetNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, target) in targets)
        {
            targetNames.Add(name);
            if (!byName.TryGetValue(name, out var source))
            {
                match.Missing.Add(name);
                continue;
            }

            var targetDType = SafeTensorsDTypes.FromEngine(target.DType);
            if (!source.Shape.AsSpan().SequenceEqual(target.Shape.AsSpan()) || (source.DType != targetDType && !convertDTypes))
            {
                match.Mismatched.Add(new TensorMismatch(name, source.DType, [.. source.Shape], targetDType, [.. target.Shape]));
                continue;
            }

            match.Matched.Add((source, target));
        }

        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var source in ordered)
        {
            if (!targetNames.Contains(source.Name) && listed.Add(source.Name))
            {
                match.Unused.Add(byName[source.Name]);
            }
        }

        return match;
    }

    private static IEnumerable<(string Name, Tensor Value)> TensorsOf(Module module) => module.NamedParameters().Concat(module.NamedBuffers());
}
