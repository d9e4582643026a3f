using MetaLearn.NN;
using MetaLearn.Serialization;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Serialization;

namespace MetaLearn.Transfer.FineTuning;

/// <summary>
/// Parameter transfer: the target model starts from a source model's parameters (and buffers, such as batch norm's
/// running statistics), matched by dotted name, with shape mismatches handled by a <see cref="ShapeMismatchPolicy"/>.
/// The source is a live module or a checkpoint file.
/// </summary>
public static class ParameterTransfer
{
    /// <summary>Copies <paramref name="source"/>'s parameters and buffers into <paramref name="target"/>'s of the same name and shape.</summary>
    /// <param name="source">The trained model.</param>
    /// <param name="target">The model to start from it; changed in place.</param>
    /// <param name="policy">What to do with a name whose shapes differ.</param>
    /// <param name="generator">The random source of <see cref="ShapeMismatchPolicy.Reinitialize"/>; required for that policy.</param>
    /// <returns>What was copied, missing, unused, mismatched and re-initialized, with the anchors for L2-SP.</returns>
    /// <exception cref="InvalidDataException">The policy is <see cref="ShapeMismatchPolicy.Throw"/> and a shape differs, or a dtype differs; nothing
    /// was changed.</exception>
    /// <exception cref="ArgumentException">Re-initialization without a generator.</exception>
    public static TransferReport CopyMatching(Module source, Module target, ShapeMismatchPolicy policy = ShapeMismatchPolicy.Skip, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        CheckPolicy(policy, generator);
        var match = TensorMatcher.Match(source, target, convertDTypes: false);
        if (match.Mismatched.FirstOrDefault(m => !m.ShapeDiffers) is { } dtypeOnly)
        {
            // SafeTensorsDType.Float32 and Float64 print as the engine's DType names.
            throw new InvalidDataException($"ParameterTransfer: '{dtypeOnly.Name}' is {dtypeOnly.SourceDType} in the source and {dtypeOnly.TargetDType} "
                + "in the target; convert one model first.");
        }

        ThrowIfAsked(policy, match.Mismatched);
        foreach (var (from, destination) in match.Matched)
        {
            Init.Assign(destination, from.Value);
        }

        var unused = match.Unused.Select(s => s.Name).Order(StringComparer.Ordinal).ToList();
        return Finish(target, [.. match.Matched.Select(m => m.Source.Name)], match.Missing, unused, match.Mismatched, policy, generator);
    }

    /// <summary>
    /// Loads a checkpoint (MetaLearn's or a PyTorch <c>state_dict</c> as safetensors) into <paramref name="target"/>
    /// non-strictly, converting dtypes, and applies <paramref name="policy"/> to the tensors of another shape.
    /// </summary>
    /// <param name="target">The model to start from the checkpoint; changed in place.</param>
    /// <param name="path">The safetensors file of the source model.</param>
    /// <param name="policy">What to do with a name whose shapes differ.</param>
    /// <param name="generator">The random source of <see cref="ShapeMismatchPolicy.Reinitialize"/>; required for that policy.</param>
    /// <returns>What was copied, missing, unused, mismatched and re-initialized, with the anchors for L2-SP.</returns>
    /// <exception cref="InvalidDataException">The policy is <see cref="ShapeMismatchPolicy.Throw"/> and a shape differs; nothing was changed.</exception>
    public static TransferReport FromCheckpoint(Module target, string path, ShapeMismatchPolicy policy = ShapeMismatchPolicy.Skip, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentException.ThrowIfNullOrEmpty(path);
        CheckPolicy(policy, generator);
        if (policy == ShapeMismatchPolicy.Throw)
        {
            // A first, strict-free look at the header only: nothing is loaded when a shape differs.
            using var reader = SafeTensorsReader.Open(path);
            ThrowIfAsked(policy, TensorMatcher.Match(reader, target, convertDTypes: true).Mismatched);
        }

        var report = ModuleCheckpoint.Load(target, path, new ModuleLoadOptions { Strict = false, ConvertDTypes = true });
        var mismatched = report.Mismatched.Where(m => m.ShapeDiffers).ToList();
        var loaded = report.Copied.ToHashSet(StringComparer.Ordinal);
        var copied = target.NamedParameters().Concat(target.NamedBuffers()).Select(p => p.Name).Where(loaded.Contains).ToList();
        return Finish(target, copied, [.. report.Missing], [.. report.Unused], mismatched, policy, generator);
    }

    /// <summary>Draws a fresh value for a parameter by its shape and name (see <see cref="ShapeMismatchPolicy.Reinitialize"/>).</summary>
    /// <param name="name">The dotted name (a 1-D "...weight" is a norm scale, set to ones).</param>
    /// <param name="tensor">The tensor to overwrite in place.</param>
    /// <param name="generator">The random source.</param>
    public static void Reinitialize(string name, Tensor tensor, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(generator);
        var shape = tensor.Shape.AsSpan();
        var fresh = tensor.Rank >= 2
            ? Init.DefaultWeight(generator, shape, tensor.DType)
            : name.EndsWith("weight", StringComparison.Ordinal) || name.EndsWith("running_var", StringComparison.Ordinal)
                ? Tensor.Ones(shape, tensor.DType)
                : Tensor.Zeros(shape, tensor.DType);
        Init.Assign(tensor, fresh);
    }

    private static TransferReport Finish(Module target, List<string> copied, List<string> missing, List<string> unused,
        List<TensorMismatch> mismatched, ShapeMismatchPolicy policy, Generator? generator)
    {
        var reinitialized = new List<string>();
        if (policy == ShapeMismatchPolicy.Reinitialize)
        {
            var byName = target.NamedParameters().Concat(target.NamedBuffers()).ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
            // A checkpoint's mismatch can name a counter (num_batches_tracked stored with a shape): it is reported, but a
            // counter is not a tensor to draw afresh, so it keeps its value.
            foreach (var mismatch in mismatched.Where(m => byName.ContainsKey(m.Name)))
            {
                Reinitialize(mismatch.Name, byName[mismatch.Name], generator!);
                reinitialized.Add(mismatch.Name);
            }
        }

        var transferred = copied.ToHashSet(StringComparer.Ordinal);
        Tensor?[] anchors;
        using (Tensor.NoGrad())
        {
            anchors = [.. target.NamedParameters().Select(p => transferred.Contains(p.Name) ? p.Value.Clone() : null)];
        }

        return new TransferReport(copied, missing, unused, mismatched, reinitialized, anchors);
    }

    private static void CheckPolicy(ShapeMismatchPolicy policy, Generator? generator)
    {
        if (!Enum.IsDefined(policy))
        {
            throw new ArgumentOutOfRangeException(nameof(policy), policy, "ParameterTransfer: unknown mismatch policy.");
        }

        if (policy == ShapeMismatchPolicy.Reinitialize && generator is null)
        {
            throw new ArgumentException("ParameterTransfer: ShapeMismatchPolicy.Reinitialize needs a generator.", nameof(generator));
        }
    }

    private static void ThrowIfAsked(ShapeMismatchPolicy policy, List<TensorMismatch> mismatched)
    {
        if (policy == ShapeMismatchPolicy.Throw && mismatched.Count > 0)
        {
            throw new InvalidDataException($"ParameterTransfer: {mismatched.Count} shape mismatch(es), nothing copied: {string.Join("; ", mismatched)}.");
        }
    }
}
